package io.ringkv.replication.api;

import io.ringkv.api.NodeId;
import java.util.concurrent.CompletableFuture;

/**
 * How a node reaches its peers: the interface the coordinator owns, so the same coordinator runs
 * over Netty in production and over an in-process, fault-injecting network in tests.
 *
 * <p>A send may complete exceptionally (peer unreachable) or never (message lost); the caller
 * bounds every wait with its own timeout.
 */
@FunctionalInterface
public interface ReplicaNetwork {
  CompletableFuture<ReplicaResponse> send(NodeId to, ReplicaRequest request);
}
