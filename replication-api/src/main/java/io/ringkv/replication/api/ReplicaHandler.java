package io.ringkv.replication.api;

import io.ringkv.api.NodeId;
import java.util.concurrent.CompletableFuture;

/** A node's side of {@link ReplicaNetwork}: answers what its peers ask. */
@FunctionalInterface
public interface ReplicaHandler {
  CompletableFuture<ReplicaResponse> handle(NodeId from, ReplicaRequest request);

  /**
   * Whether {@link #handle} answers this request without blocking, so a transport that otherwise
   * hands requests to worker threads may call it on its network thread. Default false.
   */
  default boolean handlesWithoutBlocking(ReplicaRequest request) {
    return false;
  }
}
