package io.ringkv.replication;

import io.ringkv.api.Bytes;
import io.ringkv.api.GetResult;
import io.ringkv.api.Resolution;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import io.ringkv.versioning.ContextCodec;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Applies a bucket's resolver to what a quorum read returned: the decorator between the quorum
 * code and the client. A {@link Resolution.Merged} answer is written back with a clock that
 * dominates every sibling, so the conflict is gone from the store, not just hidden; the write-back
 * replicates in the background like read repair.
 */
final class Resolving {
  private final Coordinator coordinator;

  Resolving(Coordinator coordinator) {
    this.coordinator = coordinator;
  }

  CompletableFuture<GetResult> get(Plan plan) {
    return coordinator.read(plan).thenApply(siblings -> resolve(plan, siblings));
  }

  GetResult resolve(Plan plan, Siblings siblings) {
    VectorClock seen = siblings.clock();
    if (siblings.size() <= 1) {
      return new GetResult(siblings.live(), ContextCodec.encode(seen));
    }
    Resolution resolution = plan.policy().resolver().resolve(siblings.versions());
    if (resolution instanceof Resolution.Merged m) {
      Coordinator.Written written = coordinator.write(plan, seen, m.value(), m.timestamp(),
          m.tombstone());
      Versioned<Bytes> v = written.version();
      return new GetResult(v.tombstone() ? List.of() : List.of(v),
          ContextCodec.encode(written.after()));
    } else if (resolution instanceof Resolution.Keep k) {
      List<Versioned<Bytes>> kept = k.versions().stream().filter(v -> !v.tombstone()).toList();
      return new GetResult(kept, ContextCodec.encode(seen));
    }
    throw new AssertionError("unhandled resolution " + resolution.getClass().getName()
        + ": Resolving must handle every permitted subtype of Resolution");
  }
}
