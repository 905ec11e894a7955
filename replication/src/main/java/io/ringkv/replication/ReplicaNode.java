package io.ringkv.replication;

import io.ringkv.api.Actor;
import io.ringkv.api.Key;
import io.ringkv.api.KvStore;
import io.ringkv.api.NodeId;
import io.ringkv.api.RequestOptions;
import io.ringkv.api.Scheduler;
import io.ringkv.api.Siblings;
import io.ringkv.ring.Ring;
import io.ringkv.storage.spi.StorageEngine;
import io.ringkv.versioning.DotIssuer;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One node of the cluster as the replication layer sees it: the thin facade that wires its parts
 * and hands them out. The client-facing {@link KvStore} is the {@link Router} (coordinate here or
 * forward); the {@link ReplicaHandler} that answers peers is the {@link PeerRequestHandler}; both
 * coordinate through one {@link Coordinator} (quorum rounds, read repair) decorated by the bucket
 * resolver ({@link Resolving}).
 */
public final class ReplicaNode {
  private final Actor actor;
  private final StorageEngine engine;
  private final Planner planner;
  private final Coordinator coordinator;
  private final Router router;
  private final PeerRequestHandler handler;

  private ReplicaNode(Builder b) {
    this.actor = Objects.requireNonNull(b.actor, "actor");
    NodeId self = actor.node();
    this.engine = Objects.requireNonNull(b.engine, "engine");
    ReplicaNetwork network = Objects.requireNonNull(b.network, "network");
    Scheduler scheduler = Objects.requireNonNull(b.scheduler, "scheduler");
    ReplicationSettings settings = b.settings;
    this.planner = new Planner(Objects.requireNonNull(b.ring, "ring"),
        Objects.requireNonNull(b.policies, "policies"), settings);
    ReplicaSelector selector = new ReplicaSelector(self, b.liveness);
    this.coordinator = new Coordinator(self,
        new VersionWriter(new DotIssuer(actor, b.dotCounterStart), engine, settings.pruning()),
        engine, selector, network, scheduler, Objects.requireNonNull(b.clock, "clock"),
        new ReadRepair(self, engine, network, settings));
    Coordination coordination = new Coordination(coordinator, new Resolving(coordinator));
    this.router = new Router(self, planner, selector, coordination, network, scheduler);
    this.handler = new PeerRequestHandler(engine, planner, coordination);
  }

  public static Builder builder() {
    return new Builder();
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

  /** Answers requests from peers; register it with the transport. */
  public ReplicaHandler handler() {
    return handler;
  }

  /** What this node itself holds for a key (no quorum). */
  public Siblings local(Key key) {
    return engine.get(key);
  }

  public StorageEngine engine() {
    return engine;
  }

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

  /** Builds a node; every collaborator but liveness, clock and settings is required. */
  public static final class Builder {
    private Actor actor;
    private StorageEngine engine;
    private Supplier<Ring> ring;
    private Liveness liveness = Liveness.ALL_UP;
    private ReplicaNetwork network;
    private Scheduler scheduler;
    private Clock clock = Clock.systemUTC();
    private BucketPolicies policies;
    private ReplicationSettings settings = ReplicationSettings.DEFAULTS;
    private long dotCounterStart;

    private Builder() {}

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

    public ReplicaNode build() {
      return new ReplicaNode(this);
    }
  }
}
