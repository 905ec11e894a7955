package io.ringkv.server.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.ringkv.api.Actor;
import io.ringkv.api.ConfigException;
import io.ringkv.api.NodeId;
import io.ringkv.api.Scheduler;
import io.ringkv.replication.BucketPolicies;
import io.ringkv.replication.HandoffSettings;
import io.ringkv.replication.Liveness;
import io.ringkv.replication.ReplicaNode;
import io.ringkv.replication.ReplicationSettings;
import io.ringkv.replication.api.ReplicaNetwork;
import io.ringkv.ring.Ring;
import io.ringkv.server.config.AntiEntropyConfig;
import io.ringkv.server.config.ConfigKeys;
import io.ringkv.server.config.NodeConfig;
import io.ringkv.server.config.ReplicationConfig;
import io.ringkv.server.config.ResolverConfig;
import io.ringkv.server.config.RingConfig;
import io.ringkv.server.config.StorageConfig;
import io.ringkv.server.node.NodeIdentity;
import io.ringkv.storage.spi.HintStore;
import io.ringkv.storage.spi.StorageEngine;
import io.ringkv.storage.spi.StorageEngineFactory;
import io.ringkv.storage.spi.StorageEngines;
import io.ringkv.storage.spi.StorageSettings;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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

  /** This node's data folder: {@code storage.dir/<node id>}. */
  @Provides
  @Singleton
  @Named("dataDir")
  Path dataDir(StorageConfig storage, NodeId id) {
    return storage.dir().resolve(id.value().replaceAll("[^A-Za-z0-9._\\-]", "_"));
  }

  /**
   * The actor and where its dot counters start. The in-memory engine always starts empty, so
   * every start is a new life (a fresh epoch); a durable engine keeps its epoch across restarts
   * and leases counters in its data folder ({@link NodeIdentity}).
   */
  @Provides
  @Singleton
  NodeIdentity identity(StorageConfig storage, NodeId id, @Named("dataDir") Path dataDir) {
    return storage.engine().equals(StorageEngines.MEMORY) ? NodeIdentity.ephemeral(id)
        : NodeIdentity.open(dataDir, id);
  }

  @Provides
  @Singleton
  Actor actor(NodeIdentity identity) {
    return identity.actor();
  }

  /** Partitions depend on Q alone, so the engine can index keys before the ring is known. */
  @Provides
  @Singleton
  StorageEngine engine(StorageEngineFactory factory, StorageConfig storage, RingConfig ringConfig,
      NodeId id, @Named("dataDir") Path dataDir) {
    Ring shape = Ring.create(ringConfig.partitions(), java.util.List.of(id));
    try {
      factory.checkOptions(storage.options());
    } catch (IllegalArgumentException e) {
      // The factory's word for an option it does not take: a configuration error.
      throw new ConfigException(ConfigKeys.STORAGE_ENGINE, factory.name(), e.getMessage()
          + " (options are set as storage.option.<name>)");
    }
    return factory.create(new StorageSettings(dataDir, shape::partitionOf, storage.options()));
  }

  /**
   * Where this node keeps hints: the engine's own hint store ({@code dataDir/hints}), as durable as
   * the engine (the in-memory engine's is in memory).
   */
  @Provides
  @Singleton
  HintStore hints(StorageEngineFactory factory, StorageConfig storage, RingConfig ringConfig,
      NodeId id, @Named("dataDir") Path dataDir) {
    Ring shape = Ring.create(ringConfig.partitions(), java.util.List.of(id));
    return factory.openHints(new StorageSettings(dataDir.resolve("hints"), shape::partitionOf,
        storage.options()));
  }

  /** One thread for this node's hint-store work off the timer and the network threads. */
  @Provides
  @Singleton
  @Named("handoff")
  ExecutorService handoffExecutor(NodeId id) {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "ringkv-handoff-" + id.value());
      t.setDaemon(true);
      return t;
    });
  }

  /** One thread for this node's anti-entropy: it scans partitions and merges what differs. */
  @Provides
  @Singleton
  @Named("antientropy")
  ExecutorService antiEntropyExecutor(NodeId id) {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "ringkv-antientropy-" + id.value());
      t.setDaemon(true);
      return t;
    });
  }

  @Provides
  @Singleton
  Scheduler scheduler(ScheduledExecutorService timer) {
    return Scheduler.of(timer);
  }

  @Provides
  @Singleton
  ReplicaNode replicaNode(NodeIdentity identity, StorageEngine engine, HintStore hints,
      Supplier<Ring> ring, Liveness liveness, ReplicaNetwork network, Scheduler scheduler,
      Clock clock, BucketPolicies policies, ReplicationSettings settings,
      HandoffSettings handoff, @Named("handoff") ExecutorService handoffExecutor,
      @Named("antientropy") ExecutorService antiEntropyExecutor,
      AntiEntropyConfig antiEntropy, RingConfig ringConfig, ReplicationConfig replication,
      ResolverConfig resolvers, Topology topology) {
    java.util.Set<Integer> factors = new java.util.TreeSet<>();
    factors.add(replication.defaults().n());
    resolvers.buckets().values()
        .forEach(b -> factors.add(b.quorum(replication.defaults()).n()));
    return ReplicaNode.builder()
        .actor(identity.actor())
        .dotCounterStart(identity.dotCounterStart())
        .engine(engine)
        .hints(hints)
        .handoff(handoff)
        .handoffExecutor(handoffExecutor)
        .antiEntropyExecutor(antiEntropyExecutor)
        .ring(ring)
        .liveness(liveness)
        .network(network)
        .scheduler(scheduler)
        .clock(clock)
        .policies(policies)
        .settings(settings)
        .antiEntropy(antiEntropy.settings())
        .partitions(ringConfig.partitions())
        .replicationFactors(factors)
        .ringChange(topology::change)
        .members(topology::members)
        .onReady(topology::ready)
        .build();
  }
}
