package io.ringkv.transport.netty.http;

import io.ringkv.api.NodeId;
import java.util.List;

/**
 * A ring change's plan as {@code ?plan=true} on join, leave and remove shows it: {@code
 * {"change": "n4 joins", "moves": [{"partition": 3, "n": 3, "from": ["n1", "n2", "n3"], "to":
 * "n4", "keys": 120, "bytes": 12288}], "partitions": 16, "keys": 1920, "bytes": 196608,
 * "estimatedMs": 960, "rate": {"keysPerSecond": 2000, "bytesPerSecond": 8388608},
 * "unknown": []}}.
 *
 * @param unknown nodes that did not say what they hold (the totals leave them out)
 */
public record PlanView(String change, List<Move> moves, long keys, long bytes,
    long estimatedMillis, long keysPerSecond, long bytesPerSecond, List<NodeId> unknown) {
  public PlanView {
    moves = List.copyOf(moves);
    unknown = List.copyOf(unknown);
  }

  /** One partition (per replication factor) a node gains. */
  public record Move(int partition, int n, List<NodeId> from, NodeId to, long keys, long bytes) {
    public Move {
      from = List.copyOf(from);
    }
  }
}
