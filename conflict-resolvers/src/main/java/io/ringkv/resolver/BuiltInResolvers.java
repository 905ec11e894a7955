package io.ringkv.resolver;

import io.ringkv.api.ConfigException;
import io.ringkv.api.ConflictResolver;
import io.ringkv.api.spi.ConflictResolverFactory;
import io.ringkv.api.spi.PluginContext;
import io.ringkv.api.spi.RingkvPlugin;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The resolvers every ringkv node offers, as a plugin like any other: {@value #SIBLINGS},
 * {@value #LWW} and {@value #SET_UNION}. None of them takes settings. {@link ResolverRegistry}
 * always includes them; the static methods give the resolvers directly to code (and tests)
 * that need no registry.
 */
public final class BuiltInResolvers implements RingkvPlugin {
  /** Hands every concurrent version to the client. */
  public static final String SIBLINGS = "siblings";
  /** Last writer wins, after causality. */
  public static final String LWW = "lww";
  /** Shopping-cart union of line-separated items. */
  public static final String SET_UNION = "set-union";

  private static final List<ConflictResolverFactory> FACTORIES = List.of(
      new Factory(SIBLINGS, "hand every concurrent version to the client as siblings",
          SiblingsResolver::new),
      new Factory(LWW, "last writer wins: the causally newest, then the latest timestamp",
          LwwResolver::new),
      new Factory(SET_UNION, "union of the line-separated items of concurrent values",
          SetUnionResolver::new));

  @Override
  public String name() {
    return "built-in";
  }

  @Override
  public List<ConflictResolverFactory> conflictResolverFactories() {
    return FACTORIES;
  }

  /** The {@value #SIBLINGS} resolver. */
  public static ConflictResolver siblings() {
    return new SiblingsResolver();
  }

  /** The {@value #LWW} resolver. */
  public static ConflictResolver lww() {
    return new LwwResolver();
  }

  /** The {@value #SET_UNION} resolver. */
  public static ConflictResolver setUnion() {
    return new SetUnionResolver();
  }

  private record Factory(String name, String description, Supplier<ConflictResolver> resolver)
      implements ConflictResolverFactory {

    @Override
    public ConflictResolver create(Map<String, String> settings, PluginContext context) {
      if (settings != null && !settings.isEmpty()) {
        String key = settings.keySet().stream().sorted().findFirst().orElseThrow();
        throw new ConfigException("resolver." + key, settings.get(key),
            "the '" + name + "' resolver takes no settings");
      }
      return resolver.get();
    }
  }
}
