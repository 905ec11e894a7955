package io.ringkv.membership;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import io.ringkv.api.Scheduler;
import io.ringkv.ring.Ring;
import io.ringkv.ring.Transfer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster membership of one node: gossips the {@link ClusterState} every gossip interval with a
 * random peer (push-pull through a {@link GossipTransport}), judges peers up or down with a
 * {@link PhiAccrualFailureDetector} fed by their gossiped heartbeats, and carries out join and
 * leave. Up/down only changes {@link #isUp}, never the ring.
 *
 * <p>At {@link #start}, a node without seeds and without a ring starts a ring of itself; a node
 * with seeds gossips with them and joins the ring it receives ({@code ring.withNode(self)}), or
 * starts one if the peers that answered have none either. Concurrent ring changes converge: the
 * ring with the higher ring version wins, ties by owner order, and a node the winning ring treats
 * wrongly (lacks it while it is UP, holds it while it is LEAVING) redoes its change on top.
 *
 * <p>Thread-safe. State changes are serialized by one lock; listeners run on the thread that made
 * the change, holding that lock, in order: keep them short.
 */
public final class Membership implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Membership.class);

  private final NodeId self;
  private final GossipTransport transport;
  private final Clock clock;
  private final Scheduler scheduler;
  private final Duration interval;
  private final Object lock = new Object();
  private final LocalView view;
  private final Liveness liveness;
  private final PeerSelector selector;
  private final List<HostPort> seeds;
  private final List<Consumer<ClusterState>> listeners = new CopyOnWriteArrayList<>();
  private final List<BiConsumer<NodeId, Boolean>> livenessListeners = new CopyOnWriteArrayList<>();
  private volatile ClusterState published;
  private volatile ClusterState peeked;
  private volatile Ring publishedRing;
  private Scheduler.Cancellable task;
  private boolean closed;
  private long rounds;

  private Membership(Builder b) {
    this.self = b.self.id();
    this.transport = b.transport;
    this.clock = b.clock;
    this.scheduler = b.scheduler;
    this.interval = b.interval;
    this.seeds = new CopyOnWriteArrayList<>();
    for (HostPort seed : b.seeds) {
      if (!seed.equals(b.self.address()) && !seeds.contains(seed)) {
        seeds.add(seed);
      }
    }
    this.view = new LocalView(b.self, b.partitions, b.initial, seeds.isEmpty(), b.autoReady);
    this.liveness = new Liveness(self, b.detector);
    this.selector = new PeerSelector(self, b.random);
    this.published = view.state();
    this.publishedRing = view.ring();
    liveness.observe(published, clock.millis());
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts gossiping every interval; a node without seeds and without a ring starts a ring of
   * itself now.
   *
   * @throws RingkvException if already started or closed
   */
  public void start() {
    synchronized (lock) {
      if (task != null || closed) {
        throw new RingkvException(ErrorCode.INVALID_ARGUMENT, "membership of " + self
            + " was already " + (closed ? "closed" : "started") + ": start it once");
      }
      LOG.info("{} starts membership: seeds {}, gossip every {}", self, seeds, interval);
      liveness.rebase(view.state(), clock.millis());
      publishIf(view.reconcile());
      task = scheduler.every(interval, this::tick);
    }
  }

  /** Stops gossiping. The node still answers {@link #onGossip} until its transport stops. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      if (task != null) {
        task.cancel();
        task = null;
      }
    }
  }

  public NodeId self() {
    return self;
  }

  /** The current cluster state as this node sees it. */
  public ClusterState current() {
    return published;
  }

  /**
   * The current ring.
   *
   * @throws RingkvException with {@link ErrorCode#UNAVAILABLE} before this node has a ring (a node
   *     with seeds that none of them answered yet)
   */
  public Ring ring() {
    Ring ring = publishedRing;
    if (ring == null) {
      throw new RingkvException(ErrorCode.UNAVAILABLE, "node " + self
          + " has no ring yet: it is waiting for one of its seeds " + seeds + " to answer");
    }
    return ring;
  }

  /**
   * Whether this node believes the node is up: itself always; another member as the failure
   * detector says; a node it never heard of, never. Never changes the ring.
   */
  public boolean isUp(NodeId node) {
    return liveness.isUp(node, clock.millis());
  }

  /** Called with the new state after every change of members, statuses or the ring. */
  public void addListener(Consumer<ClusterState> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Called with a peer and whether it is now up, each time this node's opinion of it changes (at
   * the gossip round that sees it, or at once when a peer is {@linkplain #suspect suspected}).
   * Unlike the state listeners, these are called holding no membership lock.
   */
  public void addLivenessListener(BiConsumer<NodeId, Boolean> listener) {
    livenessListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * The transport could not connect to {@code node} (connection refused): it is down for routing
   * from now on, until gossip brings news of it newer than what this node knows. Never changes
   * the ring. Safe to call from any thread, often.
   */
  public void suspect(NodeId node) {
    if (liveness.suspect(Objects.requireNonNull(node, "node"))) {
      List<Liveness.Transition> changes;
      synchronized (lock) {
        changes = liveness.logTransitions(view.state(), clock.millis());
      }
      tell(changes);
    }
  }

  /** Tells the liveness listeners of {@code changes}; called holding no lock. */
  private void tell(List<Liveness.Transition> changes) {
    for (Liveness.Transition t : changes) {
      for (BiConsumer<NodeId, Boolean> l : livenessListeners) {
        try {
          l.accept(t.node(), t.up());
        } catch (RuntimeException e) {
          LOG.error("{}: a liveness listener failed on {} {}", self, t.node(),
              t.up() ? "up" : "down", e);
        }
      }
    }
  }

  /**
   * The receiving side of a gossip exchange: merges a peer's state and returns the merged state,
   * which the transport sends back.
   *
   * @throws RingkvException if the peer's ring has a different partition count (the peer's state
   *     is then ignored)
   */
  public ClusterState onGossip(ClusterState theirs) {
    Objects.requireNonNull(theirs, "theirs");
    synchronized (lock) {
      absorb(theirs);
      return view.state();
    }
  }

  /**
   * Joins the cluster of {@code seed}: an admin action for a running standalone node. The node
   * forgets its own ring, exchanges state with the seed and joins the seed's ring; the future
   * completes with the state after that first exchange. If the seed does not answer, the node is
   * standalone again (a ring of itself) and the future fails with
   * {@link ErrorCode#UNAVAILABLE}.
   *
   * @throws RingkvException if the node's ring holds other nodes
   */
  public CompletableFuture<ClusterState> join(HostPort seed) {
    Objects.requireNonNull(seed, "seed");
    ClusterState snapshot;
    Member target;
    synchronized (lock) {
      view.prepareJoin();
      if (!seeds.contains(seed)) {
        seeds.add(seed);
      }
      snapshot = view.state();
      target = PeerSelector.memberAt(snapshot, seed);
      publishIf(true);
      LOG.info("{} joins the cluster of seed {}", self, seed);
    }
    CompletableFuture<ClusterState> result = new CompletableFuture<>();
    send(target, snapshot).whenComplete((theirs, error) -> {
      synchronized (lock) {
        if (error == null && theirs != null && view.ring() != null) {
          result.complete(view.state());
        } else {
          seeds.remove(seed);
          view.abandonJoin();
          publishIf(true);
          result.completeExceptionally(new RingkvException(ErrorCode.UNAVAILABLE, "seed " + seed
              + " did not answer" + (error == null ? "" : ": " + error.getMessage())
              + "; node " + self + " stays standalone", error));
        }
      }
    });
    return result;
  }

  /**
   * Marks this node LEAVING and gossips the ring without it. The data handoff is not done here:
   * the returned transfers (partition to old and new owner) say what must move; call
   * {@link #completeLeave} when it has.
   *
   * @throws RingkvException if the node is not in a ring, is its last node, or is leaving already
   */
  public Map<Integer, Transfer> leave() {
    synchronized (lock) {
      Map<Integer, Transfer> transfers = view.leave();
      publishIf(true);
      return transfers;
    }
  }

  /**
   * This node holds every partition it gains in the pending ring of {@code version} (the
   * replication layer calls this when its transfers are done); the ring switches once every node
   * of the pending ring is ready.
   */
  public void markReady(long version) {
    synchronized (lock) {
      publishIf(view.markReady(version));
    }
  }

  /**
   * Removes a dead member from the ring ({@code ringkv remove}): its partitions are rebuilt on
   * their new owners from the surviving replicas. Returns the ring the cluster moves to.
   *
   * @throws RingkvException if the node is up, this node, unknown or not in the ring
   */
  public Ring remove(NodeId node) {
    Objects.requireNonNull(node, "node");
    synchronized (lock) {
      if (!node.equals(self) && liveness.isUp(node, clock.millis())) {
        throw new RingkvException(ErrorCode.INVALID_ARGUMENT, "node " + node + " is up: only a"
            + " dead node is removed; a running node leaves (ringkv leave on it)");
      }
      Ring next = view.remove(node);
      publishIf(true);
      return next;
    }
  }

  /**
   * The cluster state of the node at {@code seed}, without joining it or merging it (for a join
   * plan): the node is sent an empty state and answers with its own.
   */
  public CompletableFuture<ClusterState> peek(HostPort seed) {
    Objects.requireNonNull(seed, "seed");
    Member target;
    synchronized (lock) {
      target = PeerSelector.memberAt(view.state(), seed);
    }
    CompletableFuture<ClusterState> reply;
    try {
      reply = transport.exchange(target, ClusterState.empty());
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    return reply.thenApply(theirs -> {
      synchronized (lock) {
        view.checkPartitions(theirs, "the state of " + seed);
        peeked = theirs;
      }
      return theirs;
    });
  }

  /** A member of the current state, or of the last state peeked at (for a join plan). */
  public Optional<Member> knownMember(NodeId node) {
    Optional<Member> m = published.member(node);
    ClusterState p = peeked;
    return m.isPresent() || p == null ? m : p.member(node);
  }

  /**
   * Marks this node LEFT once its handoff is done.
   *
   * @throws RingkvException if the node is not LEAVING or the ring still holds it
   */
  public void completeLeave() {
    synchronized (lock) {
      view.completeLeave();
      publishIf(true);
    }
  }

  /** One gossip round: bump the own heartbeat, then exchange with the chosen peers. */
  void tick() {
    List<Member> targets;
    ClusterState snapshot;
    List<Liveness.Transition> changes;
    synchronized (lock) {
      if (closed) {
        return;
      }
      long now = clock.millis();
      view.beat();
      publishIf(view.reconcile());
      changes = liveness.logTransitions(view.state(), now);
      targets = selector.targets(view.state(), liveness, seeds, now);
      snapshot = view.state();
      if (view.ring() == null && ++rounds % 10 == 0) {
        LOG.warn("{} has no ring after {} gossip rounds: none of its seeds {} answered", self,
            rounds, seeds);
      }
    }
    tell(changes);
    for (Member target : targets) {
      send(target, snapshot);
    }
  }

  private CompletableFuture<ClusterState> send(Member target, ClusterState snapshot) {
    CompletableFuture<ClusterState> reply;
    try {
      reply = transport.exchange(target, snapshot);
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    return reply.whenComplete((theirs, error) -> {
      if (error != null || theirs == null) {
        LOG.debug("{}: gossip with {} at {} failed: {}", self, target.id(), target.address(),
            error == null ? "no state returned" : error.toString());
        return;
      }
      synchronized (lock) {
        try {
          view.checkPartitions(theirs, "the state of " + target.address());
          view.peerAnswered();
          absorb(theirs);
        } catch (RingkvException e) {
          LOG.error("{}: ignoring the state of {} at {}: {}", self, target.id(),
              target.address(), e.getMessage());
        }
      }
    });
  }

  /** Merges a state into the view; caller holds the lock. */
  private void absorb(ClusterState theirs) {
    boolean changed = view.merge(theirs);
    liveness.observe(view.state(), clock.millis());
    publishIf(changed);
  }

  /** Publishes the view's state, and tells the listeners if membership changed. */
  private void publishIf(boolean changed) {
    ClusterState state = view.state();
    published = state;
    publishedRing = view.ring();
    if (!changed) {
      return;
    }
    LOG.debug("{}: {}", self, state);
    for (Consumer<ClusterState> listener : listeners) {
      try {
        listener.accept(state);
      } catch (RuntimeException e) {
        LOG.error("{}: a membership listener failed on {}", self, state, e);
      }
    }
  }

  /** Builds a {@link Membership}. Required: self, transport, scheduler, partitions. */
  public static final class Builder {
    private Member self;
    private List<HostPort> seeds = List.of();
    private GossipTransport transport;
    private Clock clock = Clock.systemUTC();
    private Scheduler scheduler;
    private Duration interval = Duration.ofSeconds(1);
    private int partitions;
    private PhiAccrualFailureDetector detector = PhiAccrualFailureDetector.withDefaults();
    private RandomGenerator random = new Random();
    private ClusterState initial = ClusterState.empty();
    private boolean autoReady = true;

    private Builder() {
    }

    /** This node's entry: id, addresses, incarnation (must grow across restarts). */
    public Builder self(Member self) {
      this.self = Objects.requireNonNull(self, "self");
      return this;
    }

    /** {@code cluster.seeds}; this node's own address among them is ignored. */
    /**
     * Whether this node is ready for a pending ring as soon as it sees it (default true: with no
     * data to hand off, a ring change takes effect once every node of the new ring has seen it).
     * A node that streams partitions on ring changes sets false and calls {@link #markReady}.
     */
    public Builder autoReady(boolean on) {
      this.autoReady = on;
      return this;
    }

    public Builder seeds(List<HostPort> seeds) {
      this.seeds = List.copyOf(seeds);
      return this;
    }

    public Builder transport(GossipTransport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Runs the gossip rounds ({@link Scheduler#every}). */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** The gossip interval, default 1 s. */
    public Builder gossipInterval(Duration interval) {
      this.interval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /** Q, {@code ring.partitions}: a power of two; every ring gossiped must have as many. */
    public Builder partitions(int partitions) {
      this.partitions = partitions;
      return this;
    }

    public Builder failureDetector(PhiAccrualFailureDetector detector) {
      this.detector = Objects.requireNonNull(detector, "detector");
      return this;
    }

    /** Chooses gossip peers; default unseeded. */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** A state saved before a restart: a node whose ring holds it does not join again. */
    public Builder initialState(ClusterState initial) {
      this.initial = Objects.requireNonNull(initial, "initial");
      return this;
    }

    /**
     * @throws RingkvException naming every missing or invalid setting
     */
    public Membership build() {
      List<String> errors = new ArrayList<>();
      if (self == null) {
        errors.add("self is not set: the node's own member entry is required");
      }
      if (transport == null) {
        errors.add("transport is not set: a GossipTransport is required");
      }
      if (scheduler == null) {
        errors.add("scheduler is not set: a Scheduler is required");
      }
      if (partitions < 1 || partitions > Ring.MAX_PARTITIONS || Integer.bitCount(partitions) != 1) {
        errors.add("partitions " + partitions + " is invalid: a power of two from 1 to "
            + Ring.MAX_PARTITIONS + " is required");
      }
      if (interval.isNegative() || interval.isZero()) {
        errors.add("gossip interval " + interval + " is invalid: it must be positive");
      }
      if (!errors.isEmpty()) {
        throw new RingkvException(ErrorCode.INVALID_ARGUMENT,
            "membership cannot be built: " + String.join("; ", errors));
      }
      return new Membership(this);
    }
  }
}
