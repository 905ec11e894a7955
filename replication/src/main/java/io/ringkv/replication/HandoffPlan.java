package io.ringkv.replication;

import io.ringkv.api.NodeId;
import java.util.List;

/**
 * What a ring change would move, before anything moves ({@code ringkv join --plan},
 * {@code leave --plan}): each partition (per replication factor) a node gains, from which
 * current replicas, with the keys and value bytes the fullest of them holds; the totals; and how
 * long it takes at the configured anti-entropy rate (each receiving node pulls at that rate, the
 * receivers at once, so the slowest receiver sets the time).
 *
 * @param unknown nodes whose sizes are unknown (they did not answer), so the totals are low
 */
public record HandoffPlan(List<Move> moves, long keys, long bytes, long estimatedMillis,
    long keysPerSecond, long bytesPerSecond, List<NodeId> unknown) {
  public HandoffPlan {
    moves = List.copyOf(moves);
    unknown = List.copyOf(unknown);
  }

  /** One partition (per replication factor) that {@code to} gains. */
  public record Move(int partition, int n, List<NodeId> from, NodeId to, long keys, long bytes) {
    public Move {
      from = List.copyOf(from);
    }
  }
}
