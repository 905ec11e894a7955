package io.ringkv.replication.api;

import io.ringkv.api.NodeId;
import java.util.concurrent.CompletableFuture;

/** A node's side of {@link ReplicaNetwork}: answers what its peers ask. */
@FunctionalInterface
public interface ReplicaHandler {
  CompletableFuture<ReplicaResponse> handle(NodeId from, ReplicaRequest request);
}
