package io.ringkv.transport.netty;

import io.ringkv.api.NodeId;

/**
 * One node as {@code /cluster/members} shows it:
 * {@code {"id": "n1", "address": "127.0.0.1:7000", "state": "up"}}.
 *
 * @param address its node-to-node address, {@code host:port}
 * @param up whether the failure detector believes it up (state {@code up} or {@code down})
 */
public record MemberView(NodeId id, String address, boolean up) {
  public MemberView {
    if (id == null || address == null) {
      throw new IllegalArgumentException("a member needs an id and an address, got " + id + ", "
          + address);
    }
  }
}
