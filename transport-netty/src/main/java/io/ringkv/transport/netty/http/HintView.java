package io.ringkv.transport.netty.http;

import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;

/**
 * A hint as {@code /replicas} shows it: versions of the key that {@code heldBy} keeps for
 * {@code intendedFor} (a replica that was down when they were written), until handed off:
 * {@code {"heldBy": "n4", "intendedFor": "n1", "versions": [...]}}.
 */
public record HintView(NodeId heldBy, NodeId intendedFor, Siblings versions) {
  public HintView {
    if (heldBy == null || intendedFor == null || versions == null) {
      throw new IllegalArgumentException("a hint needs a holder, an intended owner and versions");
    }
  }
}
