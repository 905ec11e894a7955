package io.ringkv.replication;

import io.ringkv.api.Scheduler;
import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.GetResult;
import io.ringkv.api.Key;
import io.ringkv.api.KvStore;
import io.ringkv.api.NodeId;
import io.ringkv.api.QuorumSpec;
import io.ringkv.api.RequestOptions;
import io.ringkv.api.RingkvException;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.ring.Ring;
import io.ringkv.storage.spi.StorageEngine;
import io.ringkv.versioning.ContextCodec;
import io.ringkv.versioning.DotIssuer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of the cluster as the replication layer sees it: a client-facing {@link KvStore} that
 * any node serves (the first reachable replica of a key coordinates; any other node forwards to
 * it), and the {@link ReplicaHandler} that answers peers.
 */
public final class ReplicaNode {
  private static final Logger log = LoggerFactory.getLogger(ReplicaNode.class);

  private final NodeId self;
  private final Actor actor;
  private final StorageEngine engine;
  private final Supplier<Ring> ring;
  private final Liveness liveness;
  private final ReplicaNetwork network;
  private final Scheduler scheduler;
  private final BucketPolicies policies;
  private final ReplicationSettings settings;
  private final Coordinator coordinator;
  private final Resolving resolving;
  private final KvStore store = new RoutingStore();
  private final ReplicaHandler handler = this::handle;

  private ReplicaNode(Builder b) {
    this.actor = Objects.requireNonNull(b.actor, "actor");
    this.self = actor.node();
    this.engine = Objects.requireNonNull(b.engine, "engine");
    this.ring = Objects.requireNonNull(b.ring, "ring");
    this.liveness = b.liveness;
    this.network = Objects.requireNonNull(b.network, "network");
    this.scheduler = Objects.requireNonNull(b.scheduler, "scheduler");
    this.policies = Objects.requireNonNull(b.policies, "policies");
    this.settings = b.settings;
    this.coordinator = new Coordinator(self, new DotIssuer(actor, b.dotCounterStart), engine, ring,
        liveness, network,
        scheduler, Objects.requireNonNull(b.clock, "clock"), settings);
    this.resolving = new Resolving(coordinator);
  }

  public static Builder builder() {
    return new Builder();
  }

  public NodeId id() {
    return self;
  }

  public Actor actor() {
    return actor;
  }

  /** The client-facing store of this node: routes, forwards, coordinates, resolves. */
  public KvStore store() {
    return store;
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
      QuorumSpec quorum = quorum(key, options);
      return coordinator.read(key, quorum, timeout(options));
    } catch (RuntimeException e) {
      return Futures.failed(e);
    }
  }

  // ---------------------------------------------------------------- peer requests

  private CompletableFuture<ReplicaResponse> handle(NodeId from, ReplicaRequest request) {
    try {
      if (request instanceof ReplicaRequest.Fetch f) {
        return done(new ReplicaResponse.Fetched(engine.get(f.key())));
      } else if (request instanceof ReplicaRequest.Store s) {
        engine.put(s.key(), s.siblings());
        return done(new ReplicaResponse.Stored());
      } else if (request instanceof ReplicaRequest.Reap r) {
        return done(new ReplicaResponse.Reaped(engine.removeIfEquals(r.key(), r.expected())));
      } else if (request instanceof ReplicaRequest.CoordinateGet g) {
        return coordinateGet(g.key(), g.options())
            .<ReplicaResponse>thenApply(ReplicaResponse.GetDone::new)
            .exceptionally(ReplicaResponse.Failed::of);
      } else {
        ReplicaRequest.CoordinatePut p = (ReplicaRequest.CoordinatePut) request;
        return coordinatePut(p.key(), p.context(), p.value(), p.tombstone(), p.options())
            .<ReplicaResponse>thenApply(ReplicaResponse.PutDone::new)
            .exceptionally(ReplicaResponse.Failed::of);
      }
    } catch (RuntimeException e) {
      log.warn("request {} from {} failed", request.kind(), from, e);
      return done(ReplicaResponse.Failed.of(e));
    }
  }

  private static CompletableFuture<ReplicaResponse> done(ReplicaResponse r) {
    return CompletableFuture.completedFuture(r);
  }

  // ---------------------------------------------------------------- coordinating here

  private QuorumSpec quorum(Key key, RequestOptions options) {
    return policies.policyFor(key.bucket()).quorum().withOverrides(options.r(), options.w());
  }

  private Duration timeout(RequestOptions options) {
    return options.timeout() != null ? options.timeout() : settings.requestTimeout();
  }

  private CompletableFuture<GetResult> coordinateGet(Key key, RequestOptions options) {
    try {
      BucketPolicy policy = policies.policyFor(key.bucket());
      QuorumSpec quorum = policy.quorum().withOverrides(options.r(), options.w());
      return resolving.get(key, policy, quorum, timeout(options));
    } catch (RuntimeException e) {
      return Futures.failed(e);
    }
  }

  private CompletableFuture<Context> coordinatePut(Key key, Context context, Bytes value,
      boolean tombstone, RequestOptions options) {
    try {
      QuorumSpec quorum = quorum(key, options);
      VectorClock seen = ContextCodec.decode(context);
      Coordinator.Written written = coordinator.write(key, seen, value, coordinator.now(),
          tombstone, quorum, timeout(options));
      Context after = ContextCodec.encode(seen.with(written.version().dot(),
          written.version().timestamp()));
      return written.quorum().thenApply(v -> after);
    } catch (RuntimeException e) {
      return Futures.failed(e);
    }
  }

  // ---------------------------------------------------------------- routing

  /** The client-facing store: coordinates here when this node is the first reachable replica. */
  private final class RoutingStore implements KvStore {
    @Override
    public CompletableFuture<GetResult> get(Key key, RequestOptions options) {
      return route(key, options, new ReplicaRequest.CoordinateGet(key, options),
          () -> coordinateGet(key, options),
          r -> r instanceof ReplicaResponse.GetDone g ? g.result() : null);
    }

    @Override
    public CompletableFuture<Context> put(Key key, Context context, Bytes value,
        RequestOptions options) {
      return write(key, context, value, false, options);
    }

    @Override
    public CompletableFuture<Context> delete(Key key, Context context, RequestOptions options) {
      return write(key, context, Bytes.EMPTY, true, options);
    }

    private CompletableFuture<Context> write(Key key, Context context, Bytes value,
        boolean tombstone, RequestOptions options) {
      try {
        ContextCodec.decode(context); // refuse a garbage context here, before any forwarding
      } catch (RuntimeException e) {
        return Futures.failed(e);
      }
      return route(key, options,
          new ReplicaRequest.CoordinatePut(key, context, value, tombstone, options),
          () -> coordinatePut(key, context, value, tombstone, options),
          r -> r instanceof ReplicaResponse.PutDone p ? p.context() : null);
    }
  }

  private <T> CompletableFuture<T> route(Key key, RequestOptions options, ReplicaRequest forward,
      Supplier<CompletableFuture<T>> local, Function<ReplicaResponse, T> extract) {
    List<NodeId> candidates;
    try {
      QuorumSpec quorum = quorum(key, options); // refuse a broken quorum before any forwarding
      candidates = new ArrayList<>();
      List<NodeId> replicas = coordinator.replicas(key, quorum.n());
      for (NodeId node : replicas) {
        if (node.equals(self) || liveness.isUp(node)) {
          candidates.add(node);
        }
      }
      if (candidates.isEmpty()) {
        throw new RingkvException(ErrorCode.UNAVAILABLE,
            "no replica of " + key + " is reachable (replicas " + replicas + " are down)");
      }
    } catch (RuntimeException e) {
      return Futures.failed(e);
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    attempt(candidates, 0, timeout(options).plus(settings.forwardMargin()), forward, local,
        extract, result, null);
    return result;
  }

  private <T> void attempt(List<NodeId> candidates, int index, Duration wait,
      ReplicaRequest forward, Supplier<CompletableFuture<T>> local,
      Function<ReplicaResponse, T> extract, CompletableFuture<T> result, String lastError) {
    if (index == candidates.size()) {
      result.completeExceptionally(new RingkvException(ErrorCode.UNAVAILABLE,
          "no coordinator for the request could be reached; last error: " + lastError));
      return;
    }
    NodeId target = candidates.get(index);
    if (target.equals(self)) {
      local.get().whenComplete((v, e) -> {
        if (e != null) {
          result.completeExceptionally(Futures.unwrap(e));
        } else {
          result.complete(v);
        }
      });
      return;
    }
    CompletableFuture<ReplicaResponse> sent = network.send(target, forward);
    Scheduler.Cancellable timer = scheduler.schedule(wait, () -> sent.completeExceptionally(
        new RingkvException(ErrorCode.UNAVAILABLE, "coordinator " + target + " did not answer in "
            + wait.toMillis() + " ms")));
    sent.whenComplete((resp, err) -> {
      timer.cancel();
      if (err == null) {
        T value = extract.apply(resp);
        if (value != null) {
          result.complete(value);
          return;
        }
        if (resp instanceof ReplicaResponse.Failed f && f.code() != ErrorCode.UNAVAILABLE) {
          result.completeExceptionally(f.toException());
          return;
        }
      }
      String why = err != null ? Futures.unwrap(err).getMessage() : String.valueOf(resp);
      log.debug("forward of {} to {} failed ({}), trying the next replica", forward.kind(),
          target, why);
      attempt(candidates, index + 1, wait, forward, local, extract, result, why);
    });
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
