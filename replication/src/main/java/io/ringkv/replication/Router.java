package io.ringkv.replication;

import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.GetResult;
import io.ringkv.api.Key;
import io.ringkv.api.KvStore;
import io.ringkv.api.NodeId;
import io.ringkv.api.PutResult;
import io.ringkv.api.RequestOptions;
import io.ringkv.api.RingkvException;
import io.ringkv.api.Scheduler;
import io.ringkv.api.VectorClock;
import io.ringkv.replication.api.ReplicaNetwork;
import io.ringkv.replication.api.ReplicaRequest;
import io.ringkv.replication.api.ReplicaResponse;
import io.ringkv.versioning.ContextCodec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client-facing store of a node: decides, for each request, whether this node coordinates it
 * or forwards it. The coordinator is the first node of the key's preference list that is
 * reachable; when this node is not it, the request is forwarded, falling through the list while
 * forwards fail. A request's context is decoded and its {@link Plan} made once, here, before
 * anything is sent: a garbage context or a broken quorum never leaves the node.
 */
final class Router implements KvStore {
  private static final Logger log = LoggerFactory.getLogger(Router.class);

  private final NodeId self;
  private final Planner planner;
  private final ReplicaSelector selector;
  private final Coordination local;
  private final ReplicaNetwork network;
  private final Scheduler scheduler;
  private final LongAdder forwarded = new LongAdder();

  Router(NodeId self, Planner planner, ReplicaSelector selector, Coordination local,
      ReplicaNetwork network, Scheduler scheduler) {
    this.self = self;
    this.planner = planner;
    this.selector = selector;
    this.local = local;
    this.network = network;
    this.scheduler = scheduler;
  }

  @Override
  public CompletableFuture<GetResult> get(Key key, RequestOptions options) {
    Plan plan;
    try {
      plan = planner.plan(key, options);
    } catch (RuntimeException e) {
      return Futures.failed(e);
    }
    return route(plan, new ReplicaRequest.CoordinateGet(key, options), () -> local.get(plan),
        r -> r instanceof ReplicaResponse.GetDone g ? g.result() : null);
  }

  @Override
  public CompletableFuture<PutResult> put(Key key, Context context, Bytes value,
      RequestOptions options) {
    return write(key, context, value, false, options);
  }

  @Override
  public CompletableFuture<PutResult> delete(Key key, Context context, RequestOptions options) {
    return write(key, context, Bytes.EMPTY, true, options);
  }

  private CompletableFuture<PutResult> write(Key key, Context context, Bytes value,
      boolean tombstone, RequestOptions options) {
    Plan plan;
    ReplicaRequest.CoordinatePut put;
    try {
      VectorClock seen = ContextCodec.decode(context);
      plan = planner.plan(key, options);
      put = new ReplicaRequest.CoordinatePut(key, seen, value, tombstone, options);
    } catch (RuntimeException e) {
      return Futures.failed(e);
    }
    return route(plan, put, () -> local.put(plan, put),
        r -> r instanceof ReplicaResponse.PutDone p ? p.result() : null);
  }

  /**
   * Client requests this node sent on to another node to coordinate, counting each attempt (a
   * request that falls through to the next replica counts again). Stays 0 on a node that clients
   * reach only as the coordinator of their keys.
   */
  long forwarded() {
    return forwarded.sum();
  }

  private <T> CompletableFuture<T> route(Plan plan, ReplicaRequest forward,
      Supplier<CompletableFuture<T>> here, Function<ReplicaResponse, T> extract) {
    List<NodeId> candidates = selector.coordinators(plan);
    if (candidates.isEmpty()) {
      return Futures.failed(new RingkvException(ErrorCode.UNAVAILABLE, "no replica of "
          + plan.key() + " is reachable (replicas " + plan.primaries() + " are down)"));
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    Duration wait = plan.timeout().plus(planner.settings().forwardMargin());
    attempt(candidates, 0, wait, forward, here, extract, result, null);
    return result;
  }

  private <T> void attempt(List<NodeId> candidates, int index, Duration wait,
      ReplicaRequest forward, Supplier<CompletableFuture<T>> here,
      Function<ReplicaResponse, T> extract, CompletableFuture<T> result, String lastError) {
    if (index == candidates.size()) {
      result.completeExceptionally(new RingkvException(ErrorCode.UNAVAILABLE,
          "no coordinator for the request could be reached; last error: " + lastError));
      return;
    }
    NodeId target = candidates.get(index);
    if (target.equals(self)) {
      here.get().whenComplete((v, e) -> {
        if (e != null) {
          result.completeExceptionally(Futures.unwrap(e));
        } else {
          result.complete(v);
        }
      });
      return;
    }
    forwarded.increment();
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
      attempt(candidates, index + 1, wait, forward, here, extract, result, why);
    });
  }
}
