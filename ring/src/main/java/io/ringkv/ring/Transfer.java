package io.ringkv.ring;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import java.util.Objects;

/** A partition changing owner between two rings: the data streams from {@code from} to {@code to}. */
public record Transfer(NodeId from, NodeId to) {
  public Transfer {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (from.equals(to)) {
      throw new RingkvException(ErrorCode.INVALID_ARGUMENT,
          "transfer from '" + from + "' to itself: a transfer needs two different nodes");
    }
  }

  @Override
  public String toString() {
    return from + "->" + to;
  }
}
