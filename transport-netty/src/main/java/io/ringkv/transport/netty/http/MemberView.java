package io.ringkv.transport.netty.http;

import io.ringkv.api.NodeId;

/**
 * One node as {@code /cluster/members} shows it: {@code {"id": "n1", "address":
 * "127.0.0.1:7000", "state": "up", "hints": {"count": 0, "bytes": 0, "oldestAgeMs": 0}}}.
 *
 * @param address its node-to-node address, {@code host:port}
 * @param up whether the failure detector believes it up (state {@code up} or {@code down})
 * @param hints the hints the answering node holds for it, waiting to be handed off
 */
public record MemberView(NodeId id, String address, boolean up, Hints hints) {
  /** A backlog of hints: how many, their bytes, the age of the oldest (all 0 when none). */
  public record Hints(long count, long bytes, long oldestAgeMillis) {
    public static final Hints NONE = new Hints(0, 0, 0);
  }

  public MemberView {
    if (id == null || address == null) {
      throw new IllegalArgumentException("a member needs an id and an address, got " + id + ", "
          + address);
    }
    hints = hints == null ? Hints.NONE : hints;
  }

  /** A member the answering node holds no hints for. */
  public MemberView(NodeId id, String address, boolean up) {
    this(id, address, up, Hints.NONE);
  }
}
