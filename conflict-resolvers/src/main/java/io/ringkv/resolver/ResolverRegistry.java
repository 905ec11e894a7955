package io.ringkv.resolver;

import io.ringkv.api.ConflictResolver;
import io.ringkv.api.PluginLoadException;
import io.ringkv.api.RingkvException;
import io.ringkv.api.spi.ConflictResolverFactory;
import io.ringkv.api.spi.PluginContext;
import io.ringkv.api.spi.RingkvPlugin;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Every conflict resolver a node can offer, by name: the {@link BuiltInResolvers} (always
 * included) plus those of the plugins given. A bucket selects one with
 * {@code bucket.<b>.resolver=<name>}. Immutable and thread-safe.
 *
 * <p>Built at start-up, it fails fast: a factory name that is not lower case letters, digits
 * and dashes, or a name offered twice (by two plugins, or by a plugin and the built-ins), is a
 * {@link PluginLoadException} naming both sources; so is a lookup of an unknown name, which
 * lists the known ones.
 */
public final class ResolverRegistry {
  private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
  private static final String BUILT_IN = "the built-in resolvers";

  private record Entry(ConflictResolverFactory factory, String source) {}

  private final TreeMap<String, Entry> byName;

  private ResolverRegistry(TreeMap<String, Entry> byName) {
    this.byName = byName;
  }

  /**
   * The built-ins plus the resolvers of {@code plugins}. The built-ins are always included; a
   * {@link BuiltInResolvers} instance in the list is ignored rather than counted twice. Errors
   * name a plugin by its name and class; prefer {@link #fromLoaded} for plugins from a folder.
   */
  public static ResolverRegistry create(List<RingkvPlugin> plugins) {
    List<Source> sources = new ArrayList<>();
    for (RingkvPlugin p : plugins) {
      sources.add(new Source(p, "plugin '" + p.name() + "' (" + p.getClass().getName() + ")"));
    }
    return build(sources);
  }

  /** The built-ins plus the resolvers of plugins found by {@link PluginLoader#load}. */
  public static ResolverRegistry fromLoaded(List<LoadedPlugin> plugins) {
    List<Source> sources = new ArrayList<>();
    for (LoadedPlugin p : plugins) {
      sources.add(new Source(p.plugin(), p.toString()));
    }
    return build(sources);
  }

  private record Source(RingkvPlugin plugin, String description) {}

  private static ResolverRegistry build(List<Source> plugins) {
    TreeMap<String, Entry> byName = new TreeMap<>();
    register(byName, new BuiltInResolvers(), BUILT_IN);
    for (Source s : plugins) {
      if (!(s.plugin() instanceof BuiltInResolvers)) {
        register(byName, s.plugin(), s.description());
      }
    }
    return new ResolverRegistry(byName);
  }

  private static void register(TreeMap<String, Entry> byName, RingkvPlugin plugin, String source) {
    List<ConflictResolverFactory> factories;
    try {
      factories = plugin.conflictResolverFactories();
    } catch (RuntimeException | LinkageError e) {
      throw new PluginLoadException(source + " failed to list its resolvers: " + e, e);
    }
    if (factories == null) {
      throw new PluginLoadException(source + " returned null from conflictResolverFactories()");
    }
    for (ConflictResolverFactory f : factories) {
      String name = f == null ? null : f.name();
      if (name == null || !NAME.matcher(name).matches()) {
        throw new PluginLoadException(source + " offers a resolver named '" + name
            + "': a resolver name is lower case letters, digits and dashes (e.g. numeric-max)");
      }
      Entry previous = byName.putIfAbsent(name, new Entry(f, source));
      if (previous != null) {
        throw new PluginLoadException("resolver '" + name + "' is offered twice: by "
            + previous.source() + " and by " + source + "; remove one of them from plugins/");
      }
    }
  }

  /** Every resolver name, sorted. */
  public SortedSet<String> names() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(byName.keySet()));
  }

  /** The factory named {@code name}; an unknown name lists the known ones. */
  public ConflictResolverFactory factory(String name) {
    return entry(name).factory();
  }

  /** Who offers {@code name}: the built-ins or a plugin (with its jar when known). */
  public String source(String name) {
    return entry(name).source();
  }

  /**
   * A new resolver named {@code name}, made with a bucket's settings. A factory that fails with
   * anything but a {@link RingkvException} is reported as a {@link PluginLoadException} naming
   * the resolver and its source.
   */
  public ConflictResolver create(String name, Map<String, String> settings, PluginContext ctx) {
    if (settings == null || ctx == null) {
      throw new IllegalArgumentException("creating resolver '" + name
          + "' needs settings (may be empty) and a plugin context, got " + settings + ", " + ctx);
    }
    Entry e = entry(name);
    ConflictResolver resolver;
    try {
      resolver = e.factory().create(Map.copyOf(settings), ctx);
    } catch (RingkvException ex) {
      throw ex;
    } catch (RuntimeException | LinkageError ex) {
      throw new PluginLoadException("resolver '" + name + "' from " + e.source()
          + " failed to start: " + ex, ex);
    }
    if (resolver == null) {
      throw new PluginLoadException("resolver '" + name + "' from " + e.source()
          + " returned no resolver");
    }
    return resolver;
  }

  private Entry entry(String name) {
    Entry e = name == null ? null : byName.get(name);
    if (e == null) {
      throw new PluginLoadException("unknown resolver '" + name + "'; known: "
          + String.join(", ", byName.keySet()));
    }
    return e;
  }

  @Override
  public String toString() {
    return "ResolverRegistry" + byName.keySet();
  }
}
