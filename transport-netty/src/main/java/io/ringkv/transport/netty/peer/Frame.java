package io.ringkv.transport.netty.peer;

import io.ringkv.api.NodeId;
import io.ringkv.replication.api.ReplicaRequest;
import io.ringkv.replication.api.ReplicaResponse;

/**
 * One decoded node-to-node message: what the handlers see once {@link FrameCodec} has turned an
 * envelope into domain records (and back). {@link #id()} is the correlation id.
 */
sealed interface Frame {
  long id();

  /** A peer asks. */
  record Request(long id, NodeId from, ReplicaRequest request) implements Frame {}

  /** A peer answers the request with the same id. */
  record Response(long id, ReplicaResponse response) implements Frame {}

  /**
   * An opaque membership message; answered by a {@link GossipResponse} or a failed
   * {@link Response}. Gossip frames own their arrays: whoever builds one hands the array over.
   */
  record GossipRequest(long id, byte[] payload) implements Frame {}

  record GossipResponse(long id, byte[] payload) implements Frame {}

  /**
   * A well-formed envelope whose content breaks a rule of the vocabulary (a dot inside its own
   * context, an empty key, ...). A server answers it with a failure; a client fails the request.
   */
  record Malformed(long id, boolean isRequest, String reason) implements Frame {}
}
