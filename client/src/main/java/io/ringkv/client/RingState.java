package io.ringkv.client;

import io.ringkv.api.NodeId;
import io.ringkv.protocol.proto.Node;
import io.ringkv.protocol.proto.RingResponse;
import io.ringkv.ring.Ring;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The ring a partition-aware client routes by: fetched on first use, fetched again (one fetch at
 * a time) when a node answers with a newer ring version or when it is due.
 */
final class RingState {
  private static final System.Logger LOG = System.getLogger(RingkvClient.class.getName());
  private static final long MIN_FETCH_INTERVAL_NANOS = 1_000_000_000L;
  private final Supplier<CompletableFuture<RingResponse>> fetch;
  private volatile Routes current;
  private volatile long lastFetchStarted = System.nanoTime() - MIN_FETCH_INTERVAL_NANOS;
  private volatile Throwable lastFailure;
  private CompletableFuture<Routes> inFlight;

  /**
   * A ring with what routing looks up per request, made once per fetch: where each node takes
   * clients (unresolved: Netty resolves the host when it connects) and whether it is up.
   */
  record Routes(ClientRing ring, Map<NodeId, Target> targets) {
    Routes(ClientRing ring) {
      this(ring, targetsOf(ring));
    }

    private static Map<NodeId, Target> targetsOf(ClientRing ring) {
      Map<NodeId, Target> t = new HashMap<>();
      for (ClientRing.Node n : ring.nodes()) {
        if (n.clientPort() > 0) {
          t.put(n.id(), new Target(InetSocketAddress.createUnresolved(n.host(), n.clientPort()),
              n.up()));
        }
      }
      return Map.copyOf(t);
    }
  }

  /** One node as routing sees it. */
  record Target(InetSocketAddress address, boolean up) {}

  RingState(Supplier<CompletableFuture<RingResponse>> fetch) {
    this.fetch = fetch;
  }

  /** The ring if one has been fetched, else null. */
  ClientRing current() {
    Routes r = current;
    return r == null ? null : r.ring();
  }

  /** The routes if a ring has been fetched, else null. */
  Routes routes() {
    return current;
  }

  /**
   * The routes, fetching the ring first when there is none yet (a known ring, even old, is used).
   * Without a ring, a fetch that failed less than a second ago fails again at once instead of
   * costing every request another round trip.
   */
  CompletableFuture<Routes> routing() {
    Routes r = current;
    if (r != null) {
      return CompletableFuture.completedFuture(r);
    }
    Throwable failed = lastFailure;
    if (failed != null && System.nanoTime() - lastFetchStarted < MIN_FETCH_INTERVAL_NANOS) {
      return CompletableFuture.failedFuture(failed);
    }
    return fetchRoutes();
  }

  /**
   * Notes the ring version a node answered with: a newer one than the ring held starts a fetch,
   * at most one a second (nodes that disagree for a while must not make every answer a fetch).
   */
  void seen(long version) {
    Routes r = current;
    if (r != null && version > r.ring().version()
        && System.nanoTime() - lastFetchStarted > MIN_FETCH_INTERVAL_NANOS) {
      fetchRoutes();
    }
  }

  /** Starts a fetch unless one is under way; completes with the ring fetched. */
  CompletableFuture<ClientRing> refresh() {
    return fetchRoutes().thenApply(Routes::ring);
  }

  private synchronized CompletableFuture<Routes> fetchRoutes() {
    if (inFlight != null && !inFlight.isDone()) {
      return inFlight;
    }
    lastFetchStarted = System.nanoTime();
    CompletableFuture<Routes> f = fetch.get().thenApply(r -> new Routes(toRing(r)))
        .whenComplete((routes, failure) -> {
          lastFailure = failure;
          if (failure != null) {
            LOG.log(System.Logger.Level.WARNING, "cannot fetch the ring ({0}); requests go to the"
                + " seeds until a fetch succeeds", Nodes.unwrap(failure).getMessage());
          }
          Routes old = current;
          if (routes != null && (old == null || routes.ring().version() >= old.ring().version())) {
            current = routes;
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
