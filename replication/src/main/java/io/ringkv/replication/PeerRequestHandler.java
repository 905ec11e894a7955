package io.ringkv.replication;

import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.replication.api.ReplicaHandler;
import io.ringkv.replication.api.ReplicaRequest;
import io.ringkv.replication.api.ReplicaResponse;
import io.ringkv.storage.spi.StorageEngine;
import io.ringkv.storage.spi.Write;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers what peers ask this node: replica reads, writes and reaps against the local engine, and
 * client requests forwarded here to be coordinated. Dispatch covers every permitted subtype of
 * {@link ReplicaRequest}; one it does not know is a bug, and fails with an {@link AssertionError}
 * naming it (a test walks the permitted subtypes, so a missing branch fails the build).
 */
final class PeerRequestHandler implements ReplicaHandler {
  private static final Logger log = LoggerFactory.getLogger(PeerRequestHandler.class);

  private final NodeId self;
  private final StorageEngine engine;
  private final LocalReplica local;
  private final HintedHandoff handoff;
  private final Planner planner;
  private final Coordination coordination;
  private final TreeRequests trees;

  PeerRequestHandler(NodeId self, StorageEngine engine, LocalReplica local, HintedHandoff handoff,
      Planner planner, Coordination coordination, TreeRequests trees) {
    this.trees = trees;
    this.self = self;
    this.engine = engine;
    this.local = local;
    this.handoff = handoff;
    this.planner = planner;
    this.coordination = coordination;
  }

  /**
   * A replica's write (the bulk of what peers ask) when the engine does not block: its
   * acknowledgement waits for its durability as a future, not on a thread; and a replica's read
   * when, besides, no hint is kept here.
   */
  @Override
  public boolean handlesWithoutBlocking(ReplicaRequest request) {
    if (!engine.nonBlocking()) {
      return false;
    }
    // A fetch also reads the hints kept here, which may wait behind a hint queue's fsync.
    return request instanceof ReplicaRequest.Store
        || request instanceof ReplicaRequest.Fetch && handoff.keepsNone();
  }

  @Override
  public CompletableFuture<ReplicaResponse> handle(NodeId from, ReplicaRequest request) {
    try {
      return dispatch(request);
    } catch (RuntimeException e) {
      log.warn("request {} from {} failed", request.kind(), from, e);
      return done(ReplicaResponse.Failed.of(e));
    }
  }

  private CompletableFuture<ReplicaResponse> dispatch(ReplicaRequest request) {
    if (request instanceof ReplicaRequest.Fetch f) {
      return done(new ReplicaResponse.Fetched(local.fetch(f.key())));
    } else if (request instanceof ReplicaRequest.Store s) {
      return storedOnceDurable(engine.write(s.key(), s.siblings()));
    } else if (request instanceof ReplicaRequest.StoreHint h) {
      if (h.intendedFor().equals(self)) {
        // the ring moved: this node is the owner now
        return storedOnceDurable(engine.write(h.key(), h.siblings()));
      } else {
        handoff.keep(h.intendedFor(), h.key(), h.siblings());
      }
      return done(new ReplicaResponse.Stored());
    } else if (request instanceof ReplicaRequest.FetchHints f) {
      return done(new ReplicaResponse.HintsFetched(handoff.pendingFor(f.key())));
    } else if (request instanceof ReplicaRequest.Reap r) {
      // A key this node still holds hints for keeps its tombstones until they are handed off.
      boolean removed = handoff.pendingFor(r.key()).isEmpty()
          && engine.removeIfEquals(r.key(), r.expected());
      return done(new ReplicaResponse.Reaped(removed));
    } else if (request instanceof ReplicaRequest.TreeLevel t) {
      return done(trees.levels(t));
    } else if (request instanceof ReplicaRequest.SegmentEntries e) {
      return done(trees.entries(e));
    } else if (request instanceof ReplicaRequest.FetchTokens f) {
      return done(trees.fetch(f));
    } else if (request instanceof ReplicaRequest.StoreMany m) {
      return done(trees.store(m));
    } else if (request instanceof ReplicaRequest.PartitionSizes) {
      return done(trees.sizes());
    } else if (request instanceof ReplicaRequest.FindHints f) {
      List<Key> hinted = new ArrayList<>();
      for (Key key : f.keys()) {
        if (!handoff.pendingFor(key).isEmpty() || strayCopy(key)) {
          hinted.add(key);
        }
      }
      return done(new ReplicaResponse.KeysHinted(hinted));
    } else if (request instanceof ReplicaRequest.CoordinateGet g) {
      Plan plan = planner.plan(g.key(), g.options());
      return coordination.get(plan)
          .<ReplicaResponse>thenApply(ReplicaResponse.GetDone::new)
          .exceptionally(ReplicaResponse.Failed::of);
    } else if (request instanceof ReplicaRequest.CoordinatePut p) {
      Plan plan = planner.plan(p.key(), p.options());
      return coordination.put(plan, p)
          .<ReplicaResponse>thenApply(ReplicaResponse.PutDone::new)
          .exceptionally(ReplicaResponse.Failed::of);
    }
    throw new AssertionError("unhandled replica request " + request.getClass().getName()
        + ": PeerRequestHandler must handle every permitted subtype of ReplicaRequest");
  }

  /** Whether this node holds a copy of the key without being one of its replicas. */
  private boolean strayCopy(Key key) {
    if (engine.get(key).isEmpty()) {
      return false;
    }
    try {
      return !planner.plan(key, io.ringkv.api.RequestOptions.DEFAULT).primaries().contains(self);
    } catch (RuntimeException e) {
      return true; // no ring here: count it, so nothing is reaped on a guess
    }
  }

  /** Acknowledges a write once the engine has made it durable (no thread waits meanwhile). */
  private static CompletableFuture<ReplicaResponse> storedOnceDurable(Write write) {
    return write.durable().<ReplicaResponse>thenApply(v -> new ReplicaResponse.Stored())
        .exceptionally(ReplicaResponse.Failed::of);
  }

  private static CompletableFuture<ReplicaResponse> done(ReplicaResponse r) {
    return CompletableFuture.completedFuture(r);
  }
}
