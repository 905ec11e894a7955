package io.ringkv.replication;

import io.ringkv.api.Actor;
import io.ringkv.api.Key;
import io.ringkv.api.KvStore;
import io.ringkv.api.NodeId;
import io.ringkv.api.RequestOptions;
import io.ringkv.api.Scheduler;
import io.ringkv.api.Siblings;
import io.ringkv.replication.api.ReplicaHandler;
import io.ringkv.replication.api.ReplicaNetwork;
import io.ringkv.ring.Ring;
import io.ringkv.storage.spi.HintBacklog;
import io.ringkv.storage.spi.HintStore;
import io.ringkv.storage.spi.HintStores;
import io.ringkv.storage.spi.StorageEngine;
import io.ringkv.versioning.DotIssuer;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One node of the cluster as the replication layer sees it: the thin facade that wires its parts
 * and hands them out. The client-facing {@link KvStore} is the {@link Router} (coordinate here or
 * forward); the {@link ReplicaHandler} that answers peers is the {@link PeerRequestHandler}; both
 * coordinate through one {@link Coordinator} (quorum rounds with sloppy quorum, read repair)
 * decorated by the bucket resolver ({@link Resolving}); {@link HintedHandoff} keeps and replays
 * the hints this node holds. {@link #start()} begins the periodic hint replay, {@link #close()}
 * ends it.
 */
public final class ReplicaNode implements AutoCloseable {
  private final Actor actor;
  private final StorageEngine engine;
  private final Planner planner;
  private final Coordinator coordinator;
  private final Router router;
  private final PeerRequestHandler handler;
  private final HintedHandoff handoff;
  private final TrackedEngine tracked;
  private final AntiEntropy antiEntropy;
  private final PartitionTransfers transfers;
  private final Plans plans;
  private final Liveness liveness;

  private ReplicaNode(Builder b) {
    this.actor = Objects.requireNonNull(b.actor, "actor");
    NodeId self = actor.node();
    this.engine = Objects.requireNonNull(b.engine, "engine");
    Supplier<Ring> ring = Objects.requireNonNull(b.ring, "ring");
    BucketPolicies policies = Objects.requireNonNull(b.policies, "policies");
    int partitions = b.partitions > 0 ? b.partitions : ring.get().partitions();
    MerkleTrees trees = new MerkleTrees(partitions,
        bucket -> policies.policyFor(bucket).quorum().n());
    this.tracked = new TrackedEngine(engine, trees);
    this.liveness = Objects.requireNonNull(b.liveness, "liveness");
    ReplicaNetwork network = Objects.requireNonNull(b.network, "network");
    Scheduler scheduler = Objects.requireNonNull(b.scheduler, "scheduler");
    Clock clock = Objects.requireNonNull(b.clock, "clock");
    ReplicationSettings settings = b.settings;
    HintStore hints = b.hints != null ? b.hints : HintStores.inMemory();
    this.planner = new Planner(ring, policies, settings, b.change);
    ReplicaSelector selector = new ReplicaSelector(self, b.liveness);
    this.handoff = new HintedHandoff(hints, network, b.liveness, scheduler, b.io, clock,
        b.handoff, settings.requestTimeout(), b.listener);
    LocalReplica local = new LocalReplica(tracked, handoff);
    this.coordinator = new Coordinator(self,
        new VersionWriter(new DotIssuer(actor, b.dotCounterStart), tracked, settings.pruning()),
        selector, network, scheduler, clock,
        new ReadRepair(self, tracked, network, settings), handoff, local, settings,
        b.listener, b.io);
    Coordination coordination = new Coordination(coordinator, new Resolving(coordinator));
    this.router = new Router(self, planner, selector, coordination, network, scheduler);
    Exchange.Context exchange = new Exchange.Context(self, trees, tracked, network, scheduler,
        clock, new RateLimiter(b.antiEntropy.maxKeysPerSecond(), b.antiEntropy.maxBytesPerSecond()),
        settings.requestTimeout(), b.antiEntropyIo);
    Set<Integer> factors = new java.util.TreeSet<>(b.replicationFactors);
    factors.add(policies.policyFor("").quorum().n()); // the default, for undeclared buckets
    Supplier<Set<NodeId>> members = b.members != null ? b.members : () -> ring.get().nodes();
    this.antiEntropy = new AntiEntropy(exchange, ring, b.liveness, handoff, b.antiEntropy,
        factors, b.change, members);
    this.transfers = new PartitionTransfers(exchange, ring, b.change, b.liveness, factors,
        b.onReady, b.settle);
    TreeRequests treeRequests = new TreeRequests(trees, tracked);
    this.handler = new PeerRequestHandler(self, tracked, local, handoff, planner, coordination,
        treeRequests);
    this.plans = new Plans(exchange, treeRequests, factors, b.antiEntropy);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Drops the hints already too old, then starts the periodic work (replaying hints to owners
   * that are back). Call before the node serves peers.
   */
  public ReplicaNode start() {
    tracked.rebuildTrees();
    handoff.start();
    antiEntropy.start();
    transfers.start();
    return this;
  }

  /** Stops the periodic work; the engine and hint store stay open (their owner closes them). */
  @Override
  public void close() {
    transfers.close();
    antiEntropy.close();
    handoff.close();
  }

  /**
   * Runs an anti-entropy round now, over one partition or all, after any round already running
   * (this node exchanges with the other primaries of each partition it replicates).
   *
   * @throws IllegalArgumentException for a partition outside the ring
   */
  public CompletableFuture<RoundReport> repair(OptionalInt partition) {
    return antiEntropy.repair(partition);
  }

  /** A scheduled round now (exchanges only where this node leads); for tests. */
  CompletableFuture<RoundReport> scheduledRound() {
    return antiEntropy.scheduledRoundNow();
  }

  /**
   * What moving from {@code current} to {@code next} would stream (a join, leave or remove plan),
   * with the sizes each current node reports; nothing moves.
   */
  public CompletableFuture<HandoffPlan> plan(Ring current, Ring next, Set<NodeId> gone) {
    return plans.plan(current, next, gone);
  }

  /** What this node has received of the partitions it gains in the ring change in progress. */
  public TransferProgress transferProgress() {
    return transfers.progress();
  }

  /** Keys this node removed after handing their partition off to its replicas, since start. */
  public long handedOffKeys() {
    return transfers.handedOff();
  }

  /** Runs one step of partition handoff now (tests drive it; a node runs it every second). */
  public void transferStep() {
    transfers.tick();
  }

  /** Anti-entropy counters since this node started. */
  public AntiEntropyStats antiEntropyStats() {
    return antiEntropy.stats();
  }

  /** The last anti-entropy exchange of each partition with each peer, by partition then peer. */
  public List<ExchangeRecord> exchanges() {
    return antiEntropy.records();
  }

  public NodeId id() {
    return actor.node();
  }

  public Actor actor() {
    return actor;
  }

  /** The client-facing store of this node: routes, forwards, coordinates, resolves. */
  public KvStore store() {
    return router;
  }

  /**
   * Whether {@link #store()}'s get runs without blocking now: its local read, and the read
   * repair of this node, go to an engine that does not block ({@link StorageEngine#nonBlocking}),
   * and no hint is kept here (the read merges them in, and a hint queue may be fsyncing).
   */
  public boolean readsWithoutBlocking() {
    return engine.nonBlocking() && handoff.keepsNone();
  }

  /**
   * Whether {@link #store()}'s put or delete of the key runs without blocking: the engine does
   * not block and every primary of the key is up, so no hint is kept here as the write starts (a
   * hint store may fsync). A primary that goes down between this check and the write's start
   * makes that one write keep its hint on the caller's thread.
   */
  public boolean writesWithoutBlocking(Key key) {
    if (!engine.nonBlocking()) {
      return false;
    }
    try {
      for (NodeId primary : planner.plan(key, RequestOptions.DEFAULT).primaries()) {
        if (!liveness.isUp(primary)) {
          return false;
        }
      }
      return true;
    } catch (RuntimeException e) {
      return false; // no ring yet, or a bad key: the store reports it, off the caller's thread
    }
  }

  /**
   * Client requests this node forwarded to another coordinator since it started (each attempt
   * counts): 0 when every client sends each request straight to its key's coordinator.
   */
  public long forwardedRequests() {
    return router.forwarded();
  }

  /** Answers requests from peers; register it with the transport. */
  public ReplicaHandler handler() {
    return handler;
  }

  /** What this node's engine holds for a key (no quorum, hints not included). */
  public Siblings local(Key key) {
    return engine.get(key);
  }

  /**
   * The engine as this node writes it: every write through it keeps the anti-entropy hash trees
   * up to date (closing this view does nothing; the engine's owner closes the engine).
   */
  public StorageEngine engine() {
    return tracked;
  }

  /** The hints this node holds for {@code key}, per intended owner. */
  public Map<NodeId, Siblings> hints(Key key) {
    return handoff.pendingFor(key);
  }

  /** What this node holds as hints, per target that has any. */
  public Map<NodeId, HintBacklog> hintBacklogs() {
    return handoff.backlogs();
  }

  /** Hints kept, handed off and dropped by this node since it started. */
  public HandoffCounts handoffCounts() {
    HintedHandoff.Stats s = handoff.stats();
    return new HandoffCounts(s.kept(), s.handedOff(), s.dropped());
  }

  /** Counters of hinted handoff on one node. */
  public record HandoffCounts(long kept, long handedOff, long dropped) {}

  /**
   * A quorum read coordinated here, without the resolver: every surviving version, tombstones
   * included. For operators and tests that need the raw state; clients use {@link #store()}.
   */
  public CompletableFuture<Siblings> readSiblings(Key key, RequestOptions options) {
    try {
      return coordinator.read(planner.plan(key, options));
    } catch (RuntimeException e) {
      return Futures.failed(e);
    }
  }

  /** Builds a node; every collaborator but liveness, clock, hints and settings is required. */
  public static final class Builder {
    private Actor actor;
    private StorageEngine engine;
    private HintStore hints;
    private Supplier<Ring> ring;
    private Liveness liveness = Liveness.ALL_UP;
    private ReplicaNetwork network;
    private Scheduler scheduler;
    private Clock clock = Clock.systemUTC();
    private BucketPolicies policies;
    private ReplicationSettings settings = ReplicationSettings.DEFAULTS;
    private HandoffSettings handoff = HandoffSettings.DEFAULTS;
    private ReplicationListener listener = ReplicationListener.NONE;
    private java.util.concurrent.Executor io = Runnable::run;
    private long dotCounterStart;
    private int partitions;
    private AntiEntropySettings antiEntropy = AntiEntropySettings.DEFAULTS;
    private Set<Integer> replicationFactors = Set.of();
    private java.util.concurrent.Executor antiEntropyIo = Runnable::run;
    private Supplier<java.util.Optional<RingChange>> change = java.util.Optional::empty;
    private java.util.function.LongConsumer onReady = version -> { };
    private java.time.Duration settle = java.time.Duration.ofSeconds(5);
    private Supplier<Set<NodeId>> members;

    private Builder() {}

    /**
     * The ring's partition count Q (fixed for the cluster's life); default: the ring's, read at
     * build time (so a node that has no ring yet must set it).
     */
    public Builder partitions(int q) {
      if (q < 1 || Integer.bitCount(q) != 1) {
        throw new IllegalArgumentException("partitions must be a power of two, was " + q);
      }
      this.partitions = q;
      return this;
    }

    /**
     * Where anti-entropy handles answers and scans partitions (it reads and writes the engine).
     * Default: the calling thread (right for a simulation; a server passes a thread of its own).
     */
    public Builder antiEntropyExecutor(java.util.concurrent.Executor executor) {
      this.antiEntropyIo = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * The ring change in progress, if any (read on every request and every second): writes reach
     * the next ring's new replicas too, and this node pulls the partitions it gains.
     */
    public Builder ringChange(Supplier<java.util.Optional<RingChange>> change) {
      this.change = Objects.requireNonNull(change, "ring change");
      return this;
    }

    /**
     * Every member that may hold data (default: the ring's nodes): a tombstone is reaped only
     * once each of them says it holds no hint and no stray copy of the key.
     */
    public Builder members(Supplier<Set<NodeId>> members) {
      this.members = Objects.requireNonNull(members, "members");
      return this;
    }

    /** Told the version of a ring change once this node holds every partition it gains. */
    public Builder onReady(java.util.function.LongConsumer listener) {
      this.onReady = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * How long after it first sees a ring change this node starts pulling partitions (default
     * 5 s): long enough for every coordinator to have seen the change and to send new writes its
     * way, and for writes in flight before to land.
     */
    public Builder transferSettle(java.time.Duration d) {
      if (d == null || d.isNegative()) {
        throw new IllegalArgumentException("transfer settle must be >= 0, was " + d);
      }
      this.settle = d;
      return this;
    }

    /** Merkle anti-entropy (default {@link AntiEntropySettings#DEFAULTS}). */
    public Builder antiEntropy(AntiEntropySettings settings) {
      this.antiEntropy = Objects.requireNonNull(settings, "anti-entropy settings");
      return this;
    }

    /**
     * The replication factors the configuration names (default and per bucket): anti-entropy
     * compares these even where this node holds no key yet (a replaced disk), besides those of the
     * keys it holds.
     */
    public Builder replicationFactors(Set<Integer> factors) {
      this.replicationFactors = Set.copyOf(factors);
      return this;
    }

    /**
     * The counter this actor's dots start above (default 0). A node that restarts with its data
     * and so keeps its epoch must start above every counter its previous life issued.
     */
    public Builder dotCounterStart(long start) {
      if (start < 0) {
        throw new IllegalArgumentException("dot counter start must be >= 0, was " + start);
      }
      this.dotCounterStart = start;
      return this;
    }

    /** This node's identity and epoch: the vector-clock actor of the writes it coordinates. */
    public Builder actor(Actor actor) {
      this.actor = actor;
      return this;
    }

    public Builder engine(StorageEngine engine) {
      this.engine = engine;
      return this;
    }

    /** Where this node keeps hints (default: in memory, lost on restart). */
    public Builder hints(HintStore store) {
      this.hints = Objects.requireNonNull(store, "hint store");
      return this;
    }

    /** The current ring; read on every request, so a ring change takes effect at once. */
    public Builder ring(Supplier<Ring> ring) {
      this.ring = ring;
      return this;
    }

    public Builder liveness(Liveness liveness) {
      this.liveness = Objects.requireNonNull(liveness);
      return this;
    }

    public Builder network(ReplicaNetwork network) {
      this.network = network;
      return this;
    }

    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = scheduler;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    public Builder policies(BucketPolicies policies) {
      this.policies = policies;
      return this;
    }

    public Builder settings(ReplicationSettings settings) {
      this.settings = Objects.requireNonNull(settings);
      return this;
    }

    /** Hint replay and bounds (default {@link HandoffSettings#DEFAULTS}). */
    public Builder handoff(HandoffSettings settings) {
      this.handoff = Objects.requireNonNull(settings);
      return this;
    }

    /**
     * Where hint-store work runs that a timer or a network thread would otherwise do (it may
     * fsync): reading and releasing hints for replay, and hints kept after a replica timed out.
     * Default: the calling thread (right for a simulation; a server passes a thread of its own).
     */
    public Builder handoffExecutor(java.util.concurrent.Executor executor) {
      this.io = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Told of writes placed and hints handed off or dropped (default: nobody). */
    public Builder listener(ReplicationListener listener) {
      this.listener = Objects.requireNonNull(listener);
      return this;
    }

    public ReplicaNode build() {
      return new ReplicaNode(this);
    }
  }
}
