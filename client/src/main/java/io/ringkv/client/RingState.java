package io.ringkv.client;

import io.ringkv.api.NodeId;
import io.ringkv.protocol.proto.Node;
import io.ringkv.protocol.proto.RingResponse;
import io.ringkv.ring.Ring;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The ring a partition-aware client routes by: fetched on first use, fetched again (one fetch at
 * a time) when a node answers with a newer ring version or when it is due.
 */
final class RingState {
  private final Supplier<CompletableFuture<RingResponse>> fetch;
  private volatile ClientRing current;
  private static final long MIN_FETCH_INTERVAL_NANOS = 1_000_000_000L;
  private volatile long lastFetchStarted = System.nanoTime() - MIN_FETCH_INTERVAL_NANOS;
  private CompletableFuture<ClientRing> inFlight;

  RingState(Supplier<CompletableFuture<RingResponse>> fetch) {
    this.fetch = fetch;
  }

  /** The ring if one has been fetched, else null. */
  ClientRing current() {
    return current;
  }

  /** The ring, fetching it first when there is none yet (a known ring, even old, is used). */
  CompletableFuture<ClientRing> ring() {
    ClientRing r = current;
    return r != null ? CompletableFuture.completedFuture(r) : refresh();
  }

  /**
   * Notes the ring version a node answered with: a newer one than the ring held starts a fetch,
   * at most one a second (nodes that disagree for a while must not make every answer a fetch).
   */
  void seen(long version) {
    ClientRing r = current;
    if (r != null && version > r.version()
        && System.nanoTime() - lastFetchStarted > MIN_FETCH_INTERVAL_NANOS) {
      refresh();
    }
  }

  /** Starts a fetch unless one is under way; completes with the ring fetched. */
  synchronized CompletableFuture<ClientRing> refresh() {
    if (inFlight != null && !inFlight.isDone()) {
      return inFlight;
    }
    lastFetchStarted = System.nanoTime();
    CompletableFuture<ClientRing> f = fetch.get().thenApply(RingState::toRing)
        .whenComplete((ring, failure) -> {
          ClientRing old = current;
          if (ring != null && (old == null || ring.version() >= old.version())) {
            current = ring;
          }
        });
    inFlight = f;
    return f;
  }

  /** The protocol's ring as the client's; throws {@link IllegalArgumentException} when malformed. */
  static ClientRing toRing(RingResponse r) {
    List<NodeId> owners = new ArrayList<>(r.getOwnersCount());
    for (String owner : r.getOwnersList()) {
      owners.add(NodeId.of(owner));
    }
    List<ClientRing.Node> nodes = new ArrayList<>(r.getNodesCount());
    for (Node n : r.getNodesList()) {
      nodes.add(new ClientRing.Node(NodeId.of(n.getId()), n.getHost(), n.getClientPort(),
          n.getUp()));
    }
    return new ClientRing(r.getVersion(), Ring.of(owners), nodes, Math.max(1, r.getDefaultN()),
        r.getBucketNMap());
  }
}
