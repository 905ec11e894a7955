package io.ringkv.server.wiring;

import com.google.inject.AbstractModule;
import io.ringkv.server.config.AntiEntropyConfig;
import io.ringkv.server.config.ClusterConfig;
import io.ringkv.server.config.HandoffConfig;
import io.ringkv.server.config.PluginsConfig;
import io.ringkv.server.config.ReplicationConfig;
import io.ringkv.server.config.ResolverConfig;
import io.ringkv.server.config.RingConfig;
import io.ringkv.server.config.StorageConfig;

/** Binds the cluster configuration and each of its parts, so a component asks only for its own. */
public final class ConfigModule extends AbstractModule {
  private final ClusterConfig config;

  public ConfigModule(ClusterConfig config) {
    if (config == null) {
      throw new IllegalArgumentException("ConfigModule needs a configuration, got null");
    }
    this.config = config;
  }

  @Override
  protected void configure() {
    bind(ClusterConfig.class).toInstance(config);
    bind(RingConfig.class).toInstance(config.ring());
    bind(ReplicationConfig.class).toInstance(config.replication());
    bind(ResolverConfig.class).toInstance(config.resolvers());
    bind(StorageConfig.class).toInstance(config.storage());
    bind(PluginsConfig.class).toInstance(config.plugins());
    bind(HandoffConfig.class).toInstance(config.handoff());
    bind(AntiEntropyConfig.class).toInstance(config.antiEntropy());
  }
}
