package io.ringkv.server.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import io.ringkv.api.spi.ConflictResolverFactory;
import io.ringkv.resolver.LoadedPlugin;
import io.ringkv.resolver.PluginLoader;
import io.ringkv.resolver.ResolverRegistry;
import java.nio.file.Path;
import java.util.List;

/**
 * Every conflict resolver factory the node offers, in a {@code MapBinder<String,
 * ConflictResolverFactory>} keyed by name: the built-ins ({@code siblings}, {@code lww},
 * {@code set-union}) and those of the plugins given. Buckets pick one from that map by name
 * ({@link ReplicationModule}).
 *
 * <p>The names are checked by {@link ResolverRegistry} when the module is made, before any
 * injector: a malformed name, or a name offered twice (by two plugins, or by a plugin and the
 * built-ins), is a {@link io.ringkv.api.PluginLoadException} naming both sources.
 */
public final class ResolverModule extends AbstractModule {
  private final List<LoadedPlugin> plugins;
  private final ResolverRegistry registry;

  public ResolverModule(List<LoadedPlugin> plugins) {
    if (plugins == null) {
      throw new IllegalArgumentException("ResolverModule needs a plugin list (may be empty), got null");
    }
    this.plugins = List.copyOf(plugins);
    this.registry = ResolverRegistry.fromLoaded(this.plugins);
  }

  /** The built-ins plus the plugins found in {@code pluginsDir} (a missing folder: none). */
  public static ResolverModule fromFolder(Path pluginsDir) {
    return new ResolverModule(PluginLoader.load(pluginsDir));
  }

  /** The plugins this module binds the resolvers of. */
  public List<LoadedPlugin> plugins() {
    return plugins;
  }

  @Override
  protected void configure() {
    MapBinder<String, ConflictResolverFactory> factories =
        MapBinder.newMapBinder(binder(), String.class, ConflictResolverFactory.class);
    for (String name : registry.names()) {
      factories.addBinding(name).toInstance(registry.factory(name));
    }
  }
}
