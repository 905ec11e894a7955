package io.ringkv.replication;

import io.ringkv.api.Context;
import io.ringkv.api.GetResult;
import io.ringkv.api.PutResult;
import io.ringkv.replication.api.ReplicaRequest;
import io.ringkv.versioning.ContextCodec;
import java.util.concurrent.CompletableFuture;

/**
 * A client request coordinated on this node, whether it arrived here or was forwarded by a peer:
 * a read through the bucket's resolver, or a write whose answer is the context of the new
 * version and the write receipt. Never throws: every failure completes the returned future.
 */
final class Coordination {
  private final Coordinator coordinator;
  private final Resolving resolving;

  Coordination(Coordinator coordinator, Resolving resolving) {
    this.coordinator = coordinator;
    this.resolving = resolving;
  }

  CompletableFuture<GetResult> get(Plan plan) {
    try {
      return resolving.get(plan);
    } catch (RuntimeException e) {
      return Futures.failed(e);
    }
  }

  CompletableFuture<PutResult> put(Plan plan, ReplicaRequest.CoordinatePut put) {
    try {
      Coordinator.Written written = coordinator.write(plan, put.seen(), put.value(),
          coordinator.now(), put.tombstone());
      Context after = ContextCodec.encode(written.after());
      return written.quorum().thenApply(done -> new PutResult(after, done.receipt()));
    } catch (RuntimeException e) {
      return Futures.failed(e);
    }
  }
}
