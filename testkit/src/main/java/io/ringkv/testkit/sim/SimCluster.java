package io.ringkv.testkit.sim;

import io.ringkv.testkit.ManualScheduler;
import io.ringkv.api.Actor;
import io.ringkv.api.Key;
import io.ringkv.api.KvStore;
import io.ringkv.api.NodeId;
import io.ringkv.api.QuorumSpec;
import io.ringkv.api.Siblings;
import io.ringkv.api.spi.PluginContext;
import io.ringkv.replication.BucketPolicies;
import io.ringkv.replication.BucketPolicy;
import io.ringkv.replication.ReplicaNode;
import io.ringkv.replication.ReplicationSettings;
import io.ringkv.resolver.ResolverRegistry;
import io.ringkv.ring.Ring;
import io.ringkv.storage.spi.StorageEngine;
import io.ringkv.storage.spi.StorageEngines;
import io.ringkv.testkit.ManualClock;
import io.ringkv.versioning.Epochs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A whole cluster in one thread: real {@link ReplicaNode}s with in-memory engines over the
 * {@link SimulatedNetwork}, driven by the {@link ManualScheduler}. Crash, restart, partition
 * and heal nodes; {@link #await} runs virtual time until a future completes.
 */
public final class SimCluster {
  private final ManualScheduler scheduler;
  private final SimulatedNetwork network;
  private final Ring ring;
  private final Random random;
  private final BucketPolicies policies;
  private final ReplicationSettings settings;
  private final Map<NodeId, StorageEngine> engines = new LinkedHashMap<>();
  private final Map<NodeId, ReplicaNode> nodes = new LinkedHashMap<>();
  private final Map<NodeId, Integer> lives = new HashMap<>();
  private final BiConsumer<Key, Siblings> onReap;

  private SimCluster(Builder b) {
    this.scheduler = new ManualScheduler();
    this.network = new SimulatedNetwork(scheduler, b.seed);
    this.random = new Random(b.seed * 31 + 7);
    this.onReap = b.onReap;
    List<NodeId> ids = new ArrayList<>();
    for (int i = 1; i <= b.nodes; i++) {
      ids.add(NodeId.of("n" + i));
    }
    this.ring = Ring.create(b.partitions, ids);
    this.settings = b.settings;
    ResolverRegistry registry = ResolverRegistry.create(List.of());
    Function<String, BucketPolicy> policy = name -> {
      String resolver = b.resolvers.getOrDefault(name, b.defaultResolver);
      return new BucketPolicy(b.quorum, resolver,
          registry.create(resolver, Map.of(), PluginContext.of(ids.get(0), scheduler.clock())));
    };
    Map<String, BucketPolicy> declared = new HashMap<>();
    b.resolvers.keySet().forEach(bucket -> declared.put(bucket, policy.apply(bucket)));
    this.policies = BucketPolicies.of(policy.apply("*default*"), declared);
    for (NodeId id : ids) {
      engines.put(id, newEngine(b.onReap));
      start(id);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  private StorageEngine newEngine(BiConsumer<Key, Siblings> reaps) {
    return new ReapObservingEngine(StorageEngines.inMemory(ring::partitionOf), reaps);
  }

  private void start(NodeId id) {
    lives.merge(id, 1, Integer::sum);
    ReplicaNode node = ReplicaNode.builder()
        .actor(new Actor(id, Epochs.fresh(random)))
        .engine(engines.get(id))
        .ring(() -> ring)
        .liveness(n -> !network.isCrashed(n))
        .network(network.endpoint(id))
        .scheduler(scheduler)
        .clock(scheduler.clock())
        .policies(policies)
        .settings(settings)
        .build();
    nodes.put(id, node);
    network.register(id, node.handler());
  }

  public ManualScheduler scheduler() {
    return scheduler;
  }

  public SimulatedNetwork network() {
    return network;
  }

  public Ring ring() {
    return ring;
  }

  public List<NodeId> ids() {
    return List.copyOf(nodes.keySet());
  }

  public ReplicaNode node(NodeId id) {
    return nodes.get(id);
  }

  public ReplicaNode node(int oneBased) {
    return nodes.get(NodeId.of("n" + oneBased));
  }

  public KvStore store(int oneBased) {
    return node(oneBased).store();
  }

  /** The key's N replicas under the default quorum. */
  public List<NodeId> replicas(Key key, int n) {
    return ring.preferenceList(key, n).primaries();
  }

  public void crash(NodeId id) {
    network.crash(id);
  }

  /**
   * Restarts a crashed node. Its engine survives unless {@code wipeData}; either way it comes back
   * as a new actor (a fresh epoch), which is always safe for its dots.
   */
  public void restart(NodeId id, boolean wipeData) {
    if (wipeData) {
      engines.put(id, newEngine(onReap));
    }
    start(id);
    network.restart(id);
  }

  public boolean isCrashed(NodeId id) {
    return network.isCrashed(id);
  }

  /** What every node holds for the key, node by node (crashed ones included). */
  public Map<NodeId, Siblings> holdings(Key key) {
    Map<NodeId, Siblings> m = new LinkedHashMap<>();
    engines.forEach((id, e) -> m.put(id, e.get(key)));
    return m;
  }

  /** Runs virtual time until {@code f} completes (bounded), then returns its outcome. */
  public <T> CompletableFuture<T> await(CompletableFuture<T> f) {
    long guard = 0;
    while (!f.isDone()) {
      if (!scheduler.step()) {
        throw new IllegalStateException("simulation idle but the future never completed");
      }
      if (++guard > 10_000_000) {
        throw new IllegalStateException("future not complete after 10M simulation tasks");
      }
    }
    return f;
  }

  public <T> T join(CompletableFuture<T> f) {
    return await(f).join();
  }

  public void runUntilIdle() {
    scheduler.runUntilIdle(50_000_000);
  }

  public static final class Builder {
    private int nodes = 3;
    private int partitions = 16;
    private long seed = 1;
    private QuorumSpec quorum = new QuorumSpec(3, 2, 2);
    private String defaultResolver = "siblings";
    private final Map<String, String> resolvers = new HashMap<>();
    private ReplicationSettings settings = ReplicationSettings.DEFAULTS;
    private BiConsumer<Key, Siblings> onReap = (k, s) -> { };

    /** Called whenever a replica removes a key's tombstones. */
    public Builder onReap(BiConsumer<Key, Siblings> listener) {
      this.onReap = listener;
      return this;
    }

    public Builder nodes(int n) {
      this.nodes = n;
      return this;
    }

    public Builder partitions(int q) {
      this.partitions = q;
      return this;
    }

    public Builder seed(long s) {
      this.seed = s;
      return this;
    }

    public Builder quorum(QuorumSpec q) {
      this.quorum = q;
      return this;
    }

    public Builder defaultResolver(String name) {
      this.defaultResolver = name;
      return this;
    }

    /** Declares a bucket with its own resolver (built-in names: siblings, lww, set-union). */
    public Builder bucket(String bucket, String resolver) {
      resolvers.put(bucket, resolver);
      return this;
    }

    public Builder settings(ReplicationSettings s) {
      this.settings = s;
      return this;
    }

    public Builder requestTimeout(Duration d) {
      this.settings = settings.withRequestTimeout(d);
      return this;
    }

    public SimCluster build() {
      return new SimCluster(this);
    }
  }
}
