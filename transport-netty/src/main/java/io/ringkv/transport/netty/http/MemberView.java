package io.ringkv.transport.netty.http;

import io.ringkv.api.NodeId;
import java.util.List;

/**
 * One node as {@code /cluster/members} shows it: {@code {"id": "n1", "address":
 * "127.0.0.1:7000", "state": "up", "hints": {"count": 0, "bytes": 0, "oldestAgeMs": 0},
 * "antiEntropy": {...}}}.
 *
 * @param address its node-to-node address, {@code host:port}
 * @param up whether the failure detector believes it up (state {@code up} or {@code down})
 * @param hints the hints the answering node holds for it, waiting to be handed off
 * @param exchanges the answering node's last anti-entropy exchange with it, per partition
 * @param status its membership status: joining, up, leaving or left
 * @param ready whether it holds every partition it gains in the ring change in progress
 */
public record MemberView(NodeId id, String address, boolean up, Hints hints,
    List<Exchange> exchanges, String status, boolean ready) {
  /**
   * The last anti-entropy exchange of one partition with the member.
   *
   * @param lastMillis when it ended (epoch ms)
   * @param keysRepaired keys repaired in this partition with the member since the node started
   * @param error why it failed; empty when it completed
   */
  public record Exchange(int partition, long lastMillis, boolean ok, long keysRepaired,
      String error) {
    public Exchange {
      error = error == null ? "" : error;
    }
  }

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
    exchanges = exchanges == null ? List.of() : List.copyOf(exchanges);
    status = status == null ? "up" : status;
  }

  /** A member with no anti-entropy exchange yet, status up. */
  public MemberView(NodeId id, String address, boolean up, Hints hints) {
    this(id, address, up, hints, List.of(), "up", false);
  }

  /** A member of status up, not ready for any ring change. */
  public MemberView(NodeId id, String address, boolean up, Hints hints,
      List<Exchange> exchanges) {
    this(id, address, up, hints, exchanges, "up", false);
  }

  /** A member the answering node holds no hints for. */
  public MemberView(NodeId id, String address, boolean up) {
    this(id, address, up, Hints.NONE);
  }
}
