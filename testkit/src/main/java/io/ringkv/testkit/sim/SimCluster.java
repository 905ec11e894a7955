package io.ringkv.testkit.sim;

import io.ringkv.api.Actor;
import io.ringkv.api.Key;
import io.ringkv.api.KvStore;
import io.ringkv.api.NodeId;
import io.ringkv.api.QuorumSpec;
import io.ringkv.api.Scheduler;
import io.ringkv.api.Siblings;
import io.ringkv.api.spi.PluginContext;
import io.ringkv.replication.AntiEntropySettings;
import io.ringkv.replication.AntiEntropyStats;
import io.ringkv.replication.BucketPolicies;
import io.ringkv.replication.BucketPolicy;
import io.ringkv.replication.HandoffSettings;
import io.ringkv.replication.ReplicaNode;
import io.ringkv.replication.ReplicationListener;
import io.ringkv.replication.ReplicationSettings;
import io.ringkv.replication.RingChange;
import io.ringkv.replication.api.ReplicaNetwork;
import io.ringkv.replication.api.ReplicaResponse;
import io.ringkv.resolver.ResolverRegistry;
import io.ringkv.ring.Ring;
import io.ringkv.storage.spi.Hint;
import io.ringkv.storage.spi.HintStore;
import io.ringkv.storage.spi.HintStores;
import io.ringkv.storage.spi.StorageEngine;
import io.ringkv.storage.spi.StorageEngines;
import io.ringkv.testkit.ManualScheduler;
import io.ringkv.versioning.Epochs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A whole cluster in one thread: real {@link ReplicaNode}s with in-memory engines and hint stores
 * over the {@link SimulatedNetwork}, driven by one {@link ManualScheduler}. Crash, restart,
 * partition and heal nodes; {@link #await} runs virtual time until a future completes.
 *
 * <p>A crash ends the node's life as a real crash would: its timers never fire, answers to its
 * requests are never seen, it sends nothing more. Its engine and hint store survive (they are its
 * disk) unless a restart wipes them.
 *
 * <p>It also plays membership: {@link #join} starts a fresh node and proposes the ring with it,
 * {@link #leave} the ring without a node, {@link #remove} the ring without a crashed node (never
 * a source of a transfer, its disks gone). The nodes are told the change in progress (each after
 * its own random delay up to the {@code membershipLag}, as gossip would reach it; at once by
 * default); once every node of the next ring said it is ready the ring switches to it, which the
 * nodes learn the same way. A node that left is stopped (and drops out of the cluster) once it
 * is up, out of the ring, no change is in progress and it holds no key and no hint, checked
 * every second as a leaving node does. One change at a time.
 */
public final class SimCluster {
  private final ManualScheduler scheduler;
  private final SimulatedNetwork network;
  private final Function<Key, Integer> partitioner;
  private Ring ring;
  private Optional<RingChange> change = Optional.empty();
  private long version = 1;
  private final Set<NodeId> ready = new HashSet<>();
  private final Set<NodeId> leaving = new LinkedHashSet<>();
  /** Engines of the nodes that left and were stopped: they must hold nothing, ever. */
  private final Map<NodeId, StorageEngine> departed = new LinkedHashMap<>();
  private final List<String> events = new ArrayList<>();
  /** What each node knows of the ring and the change in progress: the truth, maybe late. */
  private final Map<NodeId, View> views = new HashMap<>();
  private final Duration membershipLag;
  private final Random lag;
  private long published;
  private final List<AntiEntropyStats> stoppedStats = new ArrayList<>();
  private final Duration transferSettle;
  private int switches;
  private int lastNode;
  private final Random random;
  private final BucketPolicies policies;
  private final ReplicationSettings settings;
  private final AntiEntropySettings antiEntropy;
  private final HandoffSettings handoff;
  private final ReplicationListener listener;
  private final Map<NodeId, StorageEngine> engines = new LinkedHashMap<>();
  private final Map<NodeId, HintStore> hintStores = new LinkedHashMap<>();
  private final Map<NodeId, ReplicaNode> nodes = new LinkedHashMap<>();
  private final Map<NodeId, Life> lives = new HashMap<>();
  private final BiConsumer<Key, Siblings> onReap;
  private final int replicas;
  private long handoffRemovals;
  private final List<String> handoffLosses = new ArrayList<>();

  private SimCluster(Builder b) {
    this.scheduler = new ManualScheduler();
    this.network = new SimulatedNetwork(scheduler, b.seed);
    this.random = new Random(b.seed * 31 + 7);
    this.onReap = b.onReap;
    this.settings = b.settings;
    this.antiEntropy = b.antiEntropy;
    this.handoff = b.handoff;
    this.listener = b.listener;
    this.replicas = b.quorum.n();
    this.transferSettle = b.transferSettle != null ? b.transferSettle
        : b.settings.requestTimeout().multipliedBy(2);
    List<NodeId> ids = new ArrayList<>();
    for (int i = 1; i <= b.nodes; i++) {
      ids.add(NodeId.of("n" + i));
    }
    this.lastNode = b.nodes;
    this.membershipLag = b.membershipLag;
    this.lag = new Random(b.seed * 17 + 3);
    this.ring = Ring.create(b.partitions, ids);
    Ring initial = ring;
    this.partitioner = initial::partitionOf; // Q never changes, nor where a key belongs
    ResolverRegistry registry = ResolverRegistry.create(List.of());
    Function<String, BucketPolicy> policy = name -> {
      String resolver = b.resolvers.getOrDefault(name, b.defaultResolver);
      return new BucketPolicy(b.quorum, resolver,
          registry.create(resolver, Map.of(), PluginContext.of(ids.get(0), scheduler.clock())),
          !b.strict.contains(name));
    };
    Map<String, BucketPolicy> declared = new HashMap<>();
    Set<String> buckets = new HashSet<>(b.resolvers.keySet());
    buckets.addAll(b.strict);
    buckets.forEach(bucket -> declared.put(bucket, policy.apply(bucket)));
    this.policies = BucketPolicies.of(policy.apply("*default*"), declared);
    for (NodeId id : ids) {
      engines.put(id, newEngine(id));
      hintStores.put(id, HintStores.inMemory());
      start(id);
    }
    scheduler.every(Duration.ofSeconds(1), this::completeLeaves);
  }

  public static Builder builder() {
    return new Builder();
  }

  private StorageEngine newEngine(NodeId id) {
    return new ReapObservingEngine(StorageEngines.inMemory(partitioner::apply),
        (key, removed) -> removed(id, key, removed));
  }

  /**
   * A copy removed from a node's engine: a reap when a primary (in the ring the node knows)
   * removes tombstones (reported), else a node handing off a partition it no longer replicates:
   * counted, and judged. What it removes must be on some replica of the key by then: it had it
   * before the handoff (then the exchanges gave it to every replica) or got it from one; a copy
   * no replica holds came in while the handoff ran and may have been the last one.
   */
  private void removed(NodeId id, Key key, Siblings removed) {
    List<NodeId> primaries = view(id).ring().preferenceList(key, replicas).primaries();
    if (removed.isDeleted() && primaries.contains(id)) {
      onReap.accept(key, removed);
      return;
    }
    handoffRemovals++;
    Map<NodeId, Siblings> held = new LinkedHashMap<>();
    for (NodeId p : primaries) {
      StorageEngine e = engines.get(p);
      Siblings there = e == null ? Siblings.empty() : e.get(key);
      if (there.merge(removed).equals(there)) {
        return; // covered there
      }
      held.put(p, there);
    }
    handoffLosses.add(scheduler.now() + " ms: " + id + " removed " + key + "=" + removed
        + " after handing it off, but none of its replicas holds it: " + held);
  }

  /** One life of a node: everything it schedules or awaits is dropped once the life ends. */
  private final class Life {
    boolean over;

    Scheduler scheduler() {
      return new Scheduler() {
        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
          return scheduler.schedule(delay, () -> {
            if (!over) {
              task.run();
            }
          });
        }

        @Override
        public Cancellable every(Duration period, Runnable task) {
          return scheduler.every(period, () -> {
            if (!over) {
              task.run();
            }
          });
        }
      };
    }

    ReplicaNetwork network(NodeId id) {
      ReplicaNetwork endpoint = network.endpoint(id);
      return (to, request) -> {
        CompletableFuture<ReplicaResponse> seen = new CompletableFuture<>();
        if (over) {
          return seen;
        }
        endpoint.send(to, request).whenComplete((r, e) -> {
          if (over) {
            return; // the process that asked is gone
          }
          if (e != null) {
            seen.completeExceptionally(e);
          } else {
            seen.complete(r);
          }
        });
        return seen;
      };
    }
  }

  private void start(NodeId id) {
    views.put(id, new View(published, ring, change)); // a node that starts asks for the state
    Life life = new Life();
    lives.put(id, life);
    ReplicaNode node = ReplicaNode.builder()
        .actor(new Actor(id, Epochs.fresh(random)))
        .engine(engines.get(id))
        .hints(hintStores.get(id))
        .ring(() -> view(id).ring())
        .ringChange(() -> view(id).change())
        .members(() -> new TreeSet<>(nodes.keySet()))
        .onReady(v -> ready(id, v))
        .transferSettle(transferSettle)
        .partitions(ring.partitions())
        .liveness(n -> !network.isCrashed(n))
        .network(life.network(id))
        .scheduler(life.scheduler())
        .clock(scheduler.clock())
        .policies(policies)
        .settings(settings)
        .handoff(handoff)
        .antiEntropy(antiEntropy)
        // Every bucket has the one quorum: a wiped node compares its partitions' n at once.
        .replicationFactors(Set.of(replicas))
        .listener(listener)
        .build();
    nodes.put(id, node);
    network.register(id, node.handler());
    node.start();
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

  /** Kills the node: it stops at once, and nothing it had under way goes on. */
  public void crash(NodeId id) {
    Life life = lives.get(id);
    if (life != null && !life.over) {
      life.over = true;
      nodes.get(id).close();
    }
    network.crash(id);
  }

  /**
   * Restarts a crashed node. Its engine survives unless {@code wipeData}; either way it comes back
   * as a new actor (a fresh epoch), which is always safe for its dots. Its hints survive.
   */
  public void restart(NodeId id, boolean wipeData) {
    restart(id, wipeData, false);
  }

  /**
   * {@link #restart(NodeId, boolean)}, also losing the node's hints when {@code wipeHints}.
   *
   * @return the hints that were lost (empty unless {@code wipeHints})
   */
  public List<Hint> restart(NodeId id, boolean wipeData, boolean wipeHints) {
    List<Hint> lost = new ArrayList<>();
    if (wipeData) {
      engines.put(id, newEngine(id));
    }
    if (wipeHints) {
      HintStore old = hintStores.get(id);
      for (NodeId target : old.targets()) {
        lost.addAll(old.oldest(target, Integer.MAX_VALUE));
      }
      hintStores.put(id, HintStores.inMemory());
    }
    start(id);
    network.restart(id);
    return lost;
  }

  public boolean isCrashed(NodeId id) {
    return network.isCrashed(id);
  }

  // ------------------------------------------------------------- membership

  /** The ring change in progress, if any. */
  public Optional<RingChange> change() {
    return change;
  }

  public boolean changing() {
    return change.isPresent();
  }

  /** The nodes that left the ring and are still handing off (not stopped yet). */
  public Set<NodeId> leaving() {
    return Set.copyOf(leaving);
  }

  /** The anti-entropy counters of the nodes that left and were stopped, at their stop. */
  public List<AntiEntropyStats> stoppedStats() {
    return List.copyOf(stoppedStats);
  }

  /** Ring switches so far. */
  public int switches() {
    return switches;
  }

  /** Copies removed by nodes that handed their partition off (not reaps). */
  public long handoffRemovals() {
    return handoffRemovals;
  }

  /**
   * Copies a node removed after handing their partition off that none of the key's replicas
   * held then (each may have been the last copy): the handoff must not do that.
   */
  public List<String> handoffLosses() {
    return List.copyOf(handoffLosses);
  }

  /** What membership did, in order, with the simulated time: for a failing run's report. */
  public List<String> events() {
    return List.copyOf(events);
  }

  /** The nodes of the next ring that said they hold what they gain. */
  public Set<NodeId> ready() {
    return Set.copyOf(ready);
  }

  /**
   * Starts a fresh node (empty engine and hint store) and proposes the ring with it.
   *
   * @throws IllegalStateException while another change is in progress
   */
  public NodeId join() {
    requireNoChange();
    NodeId id = NodeId.of("n" + (++lastNode));
    engines.put(id, newEngine(id));
    hintStores.put(id, HintStores.inMemory());
    start(id);
    propose(ring.withNode(id), Set.of(), "join " + id);
    return id;
  }

  /**
   * Proposes the ring without {@code id}; once it is in effect and the node has handed off all it
   * holds, the node is stopped and leaves the cluster.
   */
  public void leave(NodeId id) {
    requireNoChange();
    requireRingStaysWhole(id);
    leaving.add(id);
    propose(ring.withoutNode(id), Set.of(), "leave " + id);
  }

  /**
   * Removes a crashed node for good: it leaves the cluster now, with its engine and hint store
   * (nothing can read them again), and the ring without it is proposed, never pulling from it.
   */
  public void remove(NodeId id) {
    requireNoChange();
    requireRingStaysWhole(id);
    if (!network.isCrashed(id)) {
      throw new IllegalStateException(id + " is up: only a crashed node is removed");
    }
    lives.get(id).over = true;
    nodes.remove(id);
    views.remove(id);
    lives.remove(id);
    engines.remove(id);
    hintStores.remove(id);
    network.remove(id);
    propose(ring.withoutNode(id), Set.of(id), "remove " + id);
  }

  private void requireNoChange() {
    if (change.isPresent()) {
      throw new IllegalStateException("ring change to version " + version + " in progress");
    }
  }

  private void requireRingStaysWhole(NodeId id) {
    if (!ring.contains(id)) {
      throw new IllegalStateException(id + " is not in the ring " + ring.nodes());
    }
    if (ring.nodes().size() <= replicas) {
      throw new IllegalStateException("the ring " + ring.nodes() + " must keep " + replicas
          + " nodes");
    }
  }

  private void propose(Ring next, Set<NodeId> gone, String what) {
    version++;
    ready.clear();
    change = Optional.of(new RingChange(next, version, gone));
    event(what + ": ring version " + version + " proposed, " + next.nodes());
    publish();
  }

  /** What a node knows of the membership: the ring, the change in progress, how new that is. */
  private record View(long seq, Ring ring, Optional<RingChange> change) {}

  private View view(NodeId id) {
    View v = views.get(id);
    return v != null ? v : new View(published, ring, change);
  }

  /** Tells every node the new state, each after its own delay (never an older one after it). */
  private void publish() {
    View now = new View(++published, ring, change);
    for (NodeId id : nodes.keySet()) {
      long delay = membershipLag.isZero() ? 0 : lag.nextInt((int) membershipLag.toMillis() + 1);
      if (delay == 0) {
        views.put(id, now);
        continue;
      }
      scheduler.schedule(Duration.ofMillis(delay), () -> {
        View known = views.get(id);
        if (known != null && known.seq() < now.seq()) {
          views.put(id, now);
        }
      });
    }
  }

  /** A node holds every partition it gains: judged on the scheduler, not inside its step. */
  private void ready(NodeId id, long v) {
    scheduler.schedule(Duration.ZERO, () -> {
      if (change.isEmpty() || change.get().version() != v || !nodes.containsKey(id)) {
        return;
      }
      if (ready.add(id)) {
        event(id + " ready for version " + v);
      }
      if (ready.containsAll(change.get().next().nodes())) {
        ring = change.get().next();
        change = Optional.empty();
        switches++;
        event("ring version " + v + " in effect, " + ring.nodes());
        publish();
      }
    });
  }

  /** Stops each node that left once it is up, out of the ring, and holds no key nor hint. */
  private void completeLeaves() {
    if (change.isPresent()) {
      return;
    }
    for (NodeId id : List.copyOf(leaving)) {
      if (ring.contains(id) || network.isCrashed(id)) {
        continue;
      }
      long keys = engines.get(id).keyCount();
      if (keys > 0 || !hintStores.get(id).targets().isEmpty()) {
        continue;
      }
      lives.get(id).over = true;
      stoppedStats.add(nodes.get(id).antiEntropyStats());
      nodes.remove(id).close();
      views.remove(id);
      lives.remove(id);
      departed.put(id, engines.remove(id));
      hintStores.remove(id);
      network.remove(id);
      leaving.remove(id);
      event(id + " handed everything off: stopped");
    }
  }

  private void event(String what) {
    events.add(scheduler.now() + " ms: " + what);
  }

  /**
   * What every node's engine holds for the key, node by node (crashed ones included, and the
   * nodes that left and were stopped, which must hold nothing).
   */
  public Map<NodeId, Siblings> holdings(Key key) {
    Map<NodeId, Siblings> m = new LinkedHashMap<>();
    engines.forEach((id, e) -> m.put(id, e.get(key)));
    departed.forEach((id, e) -> m.put(id, e.get(key)));
    return m;
  }

  /** The hints each node holds for the key, node by node (crashed ones included). */
  public Map<NodeId, Map<NodeId, Siblings>> hints(Key key) {
    Map<NodeId, Map<NodeId, Siblings>> m = new LinkedHashMap<>();
    hintStores.forEach((id, h) -> {
      Map<NodeId, Siblings> held = h.pendingFor(key);
      if (!held.isEmpty()) {
        m.put(id, held);
      }
    });
    return m;
  }

  /** How many hints the cluster holds in all, crashed nodes included. */
  public long hintsHeld() {
    long n = 0;
    for (HintStore h : hintStores.values()) {
      for (NodeId target : h.targets()) {
        n += h.backlog(target).hints();
      }
    }
    return n;
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

  /** Runs tasks until none but the nodes' periodic ones are left. */
  public void runUntilIdle() {
    scheduler.runUntilIdle(50_000_000);
  }

  /** Runs virtual time forward by {@code d}, periodic tasks included (hint replay). */
  public void advance(Duration d) {
    scheduler.advance(d);
  }

  public static final class Builder {
    private int nodes = 3;
    private int partitions = 16;
    private long seed = 1;
    private QuorumSpec quorum = new QuorumSpec(3, 2, 2);
    private String defaultResolver = "siblings";
    private final Map<String, String> resolvers = new HashMap<>();
    private final Set<String> strict = new HashSet<>();
    private ReplicationSettings settings = ReplicationSettings.DEFAULTS;
    private AntiEntropySettings antiEntropy = AntiEntropySettings.DEFAULTS.withEnabled(false);
    private HandoffSettings handoff = HandoffSettings.DEFAULTS;
    private ReplicationListener listener = ReplicationListener.NONE;
    private BiConsumer<Key, Siblings> onReap = (k, s) -> { };
    private Duration transferSettle;
    private Duration membershipLag = Duration.ZERO;

    /** Called whenever a primary removes a key's tombstones (not when a node hands a key off). */
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

    /** Declares a strict bucket: no fall-backs stand in for its down primaries. */
    public Builder strictBucket(String bucket) {
      strict.add(bucket);
      return this;
    }

    public Builder settings(ReplicationSettings s) {
      this.settings = s;
      return this;
    }

    public Builder handoff(HandoffSettings h) {
      this.handoff = h;
      return this;
    }

    /** Merkle anti-entropy on every node (default: off, so only {@code repair} runs rounds). */
    public Builder antiEntropy(AntiEntropySettings s) {
      this.antiEntropy = s;
      return this;
    }

    /** Told by every node of writes placed and hints handed off or dropped. */
    public Builder listener(ReplicationListener l) {
      this.listener = l;
      return this;
    }

    /**
     * How long a node waits after it sees a ring change before it pulls what it gains (default:
     * twice the request timeout, so every write sent before the change has landed or failed).
     */
    public Builder transferSettle(Duration d) {
      this.transferSettle = d;
      return this;
    }

    /**
     * The most a node learns a ring change or a ring switch late, as gossip would reach it
     * (default zero: every node knows at once). Each node draws its own delay every time.
     */
    public Builder membershipLag(Duration d) {
      this.membershipLag = d;
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
