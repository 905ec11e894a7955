package io.ringkv.server.config;

import io.ringkv.api.ConfigException;

/**
 * Everything the nodes of one cluster must agree on, checked as a whole: every declared
 * bucket's n, r and w, combined with the replication defaults, must satisfy the quorum rule.
 */
public record ClusterConfig(RingConfig ring, ReplicationConfig replication,
    ResolverConfig resolvers, StorageConfig storage, PluginsConfig plugins,
    HandoffConfig handoff) {

  public ClusterConfig {
    if (ring == null || replication == null || resolvers == null || storage == null
        || plugins == null || handoff == null) {
      throw new ConfigException("cluster", null, "ring, replication, resolver, storage, plugins "
          + "and handoff configuration are all required");
    }
    for (BucketConfig bucket : resolvers.buckets().values()) {
      bucket.quorum(replication.defaults());
    }
  }

  /** With hinted handoff at its defaults. */
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
    return new ClusterConfig(ring, replication, newResolvers, storage, plugins, handoff);
  }

  public ClusterConfig withReplication(ReplicationConfig newReplication) {
    return new ClusterConfig(ring, newReplication, resolvers, storage, plugins, handoff);
  }

  public ClusterConfig withRing(RingConfig newRing) {
    return new ClusterConfig(newRing, replication, resolvers, storage, plugins, handoff);
  }

  public ClusterConfig withHandoff(HandoffConfig newHandoff) {
    return new ClusterConfig(ring, replication, resolvers, storage, plugins, newHandoff);
  }

  /** The resolvers with {@code bucket} declared. */
  public ClusterConfig withBucket(BucketConfig bucket) {
    return withResolvers(resolvers.withBucket(bucket));
  }
}
