package io.ringkv.server.config;

import io.ringkv.api.ConfigException;

/**
 * Everything the nodes of one cluster must agree on, checked as a whole: every declared
 * bucket's n, r and w, combined with the replication defaults, must satisfy the quorum rule.
 */
public record ClusterConfig(RingConfig ring, ReplicationConfig replication,
    ResolverConfig resolvers, StorageConfig storage, PluginsConfig plugins,
    HandoffConfig handoff, AntiEntropyConfig antiEntropy) {

  public ClusterConfig {
    if (ring == null || replication == null || resolvers == null || storage == null
        || plugins == null || handoff == null || antiEntropy == null) {
      throw new ConfigException("cluster", null, "ring, replication, resolver, storage, plugins, "
          + "handoff and anti-entropy configuration are all required");
    }
    for (BucketConfig bucket : resolvers.buckets().values()) {
      bucket.quorum(replication.defaults());
    }
  }

  /** With anti-entropy at its defaults. */
  public ClusterConfig(RingConfig ring, ReplicationConfig replication, ResolverConfig resolvers,
      StorageConfig storage, PluginsConfig plugins, HandoffConfig handoff) {
    this(ring, replication, resolvers, storage, plugins, handoff, AntiEntropyConfig.DEFAULTS);
  }

  /** With hinted handoff and anti-entropy at their defaults. */
  public ClusterConfig(RingConfig ring, ReplicationConfig replication, ResolverConfig resolvers,
      StorageConfig storage, PluginsConfig plugins) {
    this(ring, replication, resolvers, storage, plugins, HandoffConfig.DEFAULTS);
  }

  /**
   * The embedded defaults: Q=64, n/r/w 3/2/2, resolver {@code siblings}, 2 s timeout, in-memory
   * storage, plugins from {@code plugins}.
   */
  public static ClusterConfig embedded(PluginsConfig plugins) {
    return new ClusterConfig(RingConfig.DEFAULTS, ReplicationConfig.DEFAULTS,
        ResolverConfig.DEFAULTS, StorageConfig.EMBEDDED, plugins);
  }

  public ClusterConfig withResolvers(ResolverConfig newResolvers) {
    return new ClusterConfig(ring, replication, newResolvers, storage, plugins, handoff,
        antiEntropy);
  }

  public ClusterConfig withReplication(ReplicationConfig newReplication) {
    return new ClusterConfig(ring, newReplication, resolvers, storage, plugins, handoff,
        antiEntropy);
  }

  public ClusterConfig withRing(RingConfig newRing) {
    return new ClusterConfig(newRing, replication, resolvers, storage, plugins, handoff,
        antiEntropy);
  }

  public ClusterConfig withHandoff(HandoffConfig newHandoff) {
    return new ClusterConfig(ring, replication, resolvers, storage, plugins, newHandoff,
        antiEntropy);
  }

  public ClusterConfig withAntiEntropy(AntiEntropyConfig newAntiEntropy) {
    return new ClusterConfig(ring, replication, resolvers, storage, plugins, handoff,
        newAntiEntropy);
  }

  /** The resolvers with {@code bucket} declared. */
  public ClusterConfig withBucket(BucketConfig bucket) {
    return withResolvers(resolvers.withBucket(bucket));
  }
}
