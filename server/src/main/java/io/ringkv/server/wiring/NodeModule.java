package io.ringkv.server.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.ringkv.api.Actor;
import io.ringkv.api.NodeId;
import io.ringkv.replication.BucketPolicies;
import io.ringkv.replication.Liveness;
import io.ringkv.replication.ReplicaNetwork;
import io.ringkv.replication.ReplicaNode;
import io.ringkv.replication.ReplicationSettings;
import io.ringkv.replication.Scheduler;
import io.ringkv.ring.Ring;
import io.ringkv.server.config.NodeConfig;
import io.ringkv.server.config.StorageConfig;
import io.ringkv.storage.spi.StorageEngine;
import io.ringkv.storage.spi.StorageEngineFactory;
import io.ringkv.storage.spi.StorageSettings;
import io.ringkv.versioning.Epochs;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * One node: its id, its actor (the id with a fresh epoch), its storage engine, its timer and its
 * {@link ReplicaNode}. What it runs over comes from other bindings: the current ring
 * ({@code Supplier<Ring>}), which peers are up ({@link Liveness}), how peers are reached
 * ({@link ReplicaNetwork}), the shared {@link ScheduledExecutorService} and the {@link Clock}.
 */
public final class NodeModule extends AbstractModule {
  private final NodeConfig config;

  public NodeModule(NodeConfig config) {
    if (config == null) {
      throw new IllegalArgumentException("NodeModule needs a node configuration, got null");
    }
    this.config = config;
  }

  @Override
  protected void configure() {
    bind(NodeConfig.class).toInstance(config);
    bind(NodeId.class).toInstance(config.id());
  }

  /**
   * A fresh epoch: the node starts with an empty engine (the in-memory one always does), so
   * this is a new life whose dots must never collide with a former one's.
   */
  @Provides
  @Singleton
  Actor actor(NodeId id) {
    return new Actor(id, Epochs.fresh());
  }

  @Provides
  @Singleton
  StorageEngine engine(StorageEngineFactory factory, StorageConfig storage, NodeId id,
      Supplier<Ring> ring) {
    Path dir = storage.dir().resolve(id.value().replaceAll("[^A-Za-z0-9._\\-]", "_"));
    return factory.create(new StorageSettings(dir, key -> ring.get().partitionOf(key),
        storage.options()));
  }

  @Provides
  @Singleton
  Scheduler scheduler(ScheduledExecutorService timer) {
    return Scheduler.of(timer);
  }

  @Provides
  @Singleton
  ReplicaNode replicaNode(Actor actor, StorageEngine engine, Supplier<Ring> ring,
      Liveness liveness, ReplicaNetwork network, Scheduler scheduler, Clock clock,
      BucketPolicies policies, ReplicationSettings settings) {
    return ReplicaNode.builder()
        .actor(actor)
        .engine(engine)
        .ring(ring)
        .liveness(liveness)
        .network(network)
        .scheduler(scheduler)
        .clock(clock)
        .policies(policies)
        .settings(settings)
        .build();
  }
}
