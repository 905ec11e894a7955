package io.ringkv.examples.numericmax;

import io.ringkv.api.ConfigException;
import io.ringkv.api.ConflictResolver;
import io.ringkv.api.spi.ConflictResolverFactory;
import io.ringkv.api.spi.PluginContext;
import io.ringkv.api.spi.RingkvPlugin;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The plugin's entry point, listed in {@code META-INF/services/io.ringkv.api.spi.RingkvPlugin}.
 * It offers one resolver, {@value #RESOLVER_NAME}; select it for a bucket with
 * {@code bucket.<b>.resolver=numeric-max}. It takes no settings.
 */
public final class NumericMaxPlugin implements RingkvPlugin {
  /** The name buckets select the resolver by. */
  public static final String RESOLVER_NAME = "numeric-max";

  @Override
  public String name() {
    return "numeric-max-resolver";
  }

  @Override
  public List<ConflictResolverFactory> conflictResolverFactories() {
    return List.of(new ConflictResolverFactory() {
      @Override
      public String name() {
        return RESOLVER_NAME;
      }

      @Override
      public String description() {
        return "the greatest of concurrent decimal numbers (e.g. high scores)";
      }

      @Override
      public ConflictResolver create(Map<String, String> settings, PluginContext context) {
        if (!settings.isEmpty()) {
          String key = new TreeMap<>(settings).firstKey();
          throw new ConfigException("resolver." + key, settings.get(key),
              "the '" + RESOLVER_NAME + "' resolver takes no settings");
        }
        return new NumericMaxResolver();
      }
    });
  }
}
