package io.ringkv.server.config;

import io.ringkv.api.ConfigException;
import io.ringkv.resolver.BuiltInResolvers;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which resolver each bucket uses: {@code resolver.default} for undeclared buckets and those
 * that name none, and the declared buckets by name. Names are checked against the resolvers
 * actually available (built-in and plugins) when the node starts.
 */
public record ResolverConfig(String defaultResolver, Map<String, BucketConfig> buckets) {
  /** {@code siblings} for every bucket; no bucket declared. */
  public static final ResolverConfig DEFAULTS =
      new ResolverConfig(BuiltInResolvers.SIBLINGS, Map.of());

  public ResolverConfig {
    if (defaultResolver == null || defaultResolver.isBlank()) {
      throw new ConfigException("resolver.default", defaultResolver, "must name a resolver");
    }
    if (buckets == null) {
      throw new ConfigException("bucket.*", null, "the bucket map must not be null (use an empty map)");
    }
    TreeMap<String, BucketConfig> copy = new TreeMap<>();
    buckets.forEach((name, bucket) -> {
      if (bucket == null || !bucket.name().equals(name)) {
        throw new ConfigException("bucket." + name, bucket == null ? null : bucket.name(),
            "a declared bucket must be listed under its own name");
      }
      copy.put(name, bucket);
    });
    buckets = Collections.unmodifiableSortedMap(copy);
  }

  /** This configuration with {@code bucket} declared (replacing one of the same name). */
  public ResolverConfig withBucket(BucketConfig bucket) {
    TreeMap<String, BucketConfig> next = new TreeMap<>(buckets);
    next.put(bucket.name(), bucket);
    return new ResolverConfig(defaultResolver, next);
  }

  public ResolverConfig withDefaultResolver(String name) {
    return new ResolverConfig(name, buckets);
  }
}
