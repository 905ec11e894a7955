package io.ringkv.server.wiring;

import static io.ringkv.server.wiring.WiringFixture.failure;
import static io.ringkv.server.wiring.WiringFixture.injector;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import io.ringkv.api.PluginLoadException;
import io.ringkv.api.spi.ConflictResolverFactory;
import io.ringkv.api.spi.RingkvPlugin;
import io.ringkv.resolver.BuiltInResolvers;
import io.ringkv.resolver.LoadedPlugin;
import io.ringkv.server.TestPlugins;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResolverModuleTest {
  private static final Key<Map<String, ConflictResolverFactory>> FACTORIES =
      Key.get(new TypeLiteral<Map<String, ConflictResolverFactory>>() {});

  /** A plugin offering one resolver named {@code name} (another plugin's lww, say). */
  private static LoadedPlugin offering(String plugin, String name) {
    ConflictResolverFactory factory = new BuiltInResolvers().conflictResolverFactories().get(0);
    ConflictResolverFactory renamed = new ConflictResolverFactory() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public io.ringkv.api.ConflictResolver create(Map<String, String> settings,
          io.ringkv.api.spi.PluginContext context) {
        return factory.create(settings, context);
      }
    };
    RingkvPlugin p = new RingkvPlugin() {
      @Override
      public String name() {
        return plugin;
      }

      @Override
      public List<ConflictResolverFactory> conflictResolverFactories() {
        return List.of(renamed);
      }
    };
    return new LoadedPlugin(plugin, Path.of("plugins", plugin + ".jar"), p);
  }

  @Test
  void bindsTheBuiltInsByName() {
    Map<String, ConflictResolverFactory> map = injector(new ResolverModule(List.of())).getInstance(FACTORIES);
    assertThat(map).containsOnlyKeys("lww", "set-union", "siblings");
    map.forEach((name, factory) -> assertThat(factory.name()).isEqualTo(name));
  }

  @Test
  void addsTheResolversOfPluginsFromTheFolder(@TempDir Path tmp) throws IOException {
    ResolverModule module = ResolverModule.fromFolder(TestPlugins.withNumericMax(tmp.resolve("plugins")));
    assertThat(module.plugins()).extracting(LoadedPlugin::name).containsExactly("numeric-max-resolver");
    assertThat(injector(module).getInstance(FACTORIES))
        .containsOnlyKeys("lww", "numeric-max", "set-union", "siblings");
  }

  @Test
  void aMissingPluginsFolderMeansNoPlugins(@TempDir Path tmp) {
    assertThat(injector(ResolverModule.fromFolder(tmp.resolve("absent"))).getInstance(FACTORIES))
        .containsOnlyKeys("lww", "set-union", "siblings");
  }

  @Test
  void aPluginOfferingABuiltInNameFailsNamingBothSources() {
    RuntimeException e = failure(() -> new ResolverModule(List.of(offering("dup", "lww"))));
    assertThat(e).isInstanceOf(PluginLoadException.class)
        .hasMessage("resolver 'lww' is offered twice: by the built-in resolvers and by plugin 'dup' ("
            + Path.of("plugins", "dup.jar") + "); remove one of them from plugins/");
  }

  @Test
  void twoPluginsOfferingOneNameFail() {
    RuntimeException e = failure(() -> new ResolverModule(
        List.of(offering("a", "max"), offering("b", "max"))));
    assertThat(e).isInstanceOf(PluginLoadException.class)
        .hasMessageStartingWith("resolver 'max' is offered twice: by plugin 'a'");
  }
}
