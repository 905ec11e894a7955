package io.ringkv.replication;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import io.ringkv.replication.api.ReplicaHandler;
import io.ringkv.replication.api.ReplicaNetwork;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * An in-process transport for an embedded cluster (several nodes in one JVM, as in
 * {@code ringkv demo}): each message is handed to the target's handler on an executor, so a
 * request never runs on the sender's stack. A disconnected node is unreachable both ways, as if
 * its process had died. For fault injection in tests, use ringkv-testkit's simulated network.
 */
public final class LocalNetwork {
  private final Map<NodeId, ReplicaHandler> handlers = new ConcurrentHashMap<>();
  private final Set<NodeId> disconnected = ConcurrentHashMap.newKeySet();
  private final Executor executor;

  public LocalNetwork(Executor executor) {
    this.executor = executor;
  }

  public void register(NodeId node, ReplicaHandler handler) {
    handlers.put(node, handler);
  }

  public void disconnect(NodeId node) {
    disconnected.add(node);
  }

  public void reconnect(NodeId node) {
    disconnected.remove(node);
  }

  public boolean isConnected(NodeId node) {
    return handlers.containsKey(node) && !disconnected.contains(node);
  }

  /** The network as {@code from} sees it. */
  public ReplicaNetwork endpoint(NodeId from) {
    return (to, request) -> {
      ReplicaHandler handler = handlers.get(to);
      if (handler == null || !isConnected(from) || !isConnected(to)) {
        return CompletableFuture.failedFuture(
            new RingkvException(ErrorCode.UNAVAILABLE, "node " + to + " is unreachable"));
      }
      return CompletableFuture.supplyAsync(() -> handler.handle(from, request), executor)
          .thenCompose(Function.identity())
          .thenApply(response -> {
            if (!isConnected(from) || !isConnected(to)) {
              throw new RingkvException(ErrorCode.UNAVAILABLE, "node " + to + " went away");
            }
            return response;
          });
    };
  }
}
