package io.ringkv.ring;

import io.ringkv.api.NodeId;
import java.util.HashMap;
import java.util.Map;

/**
 * How many partitions each node may give (on a join) or receive (on a leave) so that the ring
 * ends balanced: every node with {@code floor} or {@code floor + 1} partitions. A node has a
 * lower bound (what it must trade) and an upper bound (what it may trade); {@link #allows}
 * keeps the remaining mandatory trades within the remaining total, so a greedy claim that only
 * trades allowed nodes always finishes balanced.
 *
 * <p>A ring that was not balanced to begin with (only {@link Ring#of} can build one) may have no
 * balanced outcome within the minimal movement; the quota then falls back to Riak's plain rule:
 * take from the nodes that own the most, give to the nodes that own the fewest.
 */
final class Quota {
  private final Map<NodeId, Integer> counts;
  private final Map<NodeId, Integer> min = new HashMap<>();
  private final Map<NodeId, Integer> max = new HashMap<>();
  private final Map<NodeId, Integer> used = new HashMap<>();
  private final boolean giving;
  private final boolean strict;
  private int remaining;
  private int mandatory;
  private int extreme;

  private Quota(Map<NodeId, Integer> counts, int total, int floor, boolean giving) {
    this.counts = new HashMap<>(counts);
    this.giving = giving;
    this.remaining = total;
    long minSum = 0;
    long maxSum = 0;
    for (Map.Entry<NodeId, Integer> e : counts.entrySet()) {
      int c = e.getValue();
      int lo = giving ? Math.max(0, c - floor - 1) : Math.max(0, floor - c);
      int hi = giving ? Math.max(0, c - floor) : Math.max(0, floor + 1 - c);
      min.put(e.getKey(), lo);
      max.put(e.getKey(), hi);
      used.put(e.getKey(), 0);
      minSum += lo;
      maxSum += hi;
    }
    this.strict = minSum > total || maxSum < total;
    this.mandatory = (int) Math.min(Integer.MAX_VALUE, minSum);
    this.extreme = extreme();
  }

  /** A join: the existing nodes (with their counts) give {@code take} partitions. */
  static Quota forJoin(Map<NodeId, Integer> counts, int take) {
    return new Quota(counts, take, take, true);
  }

  /** A leave: the staying nodes (with their counts) receive {@code give} partitions. */
  static Quota forLeave(Map<NodeId, Integer> counts, int give, int floor) {
    return new Quota(counts, give, floor, false);
  }

  boolean strict() {
    return strict;
  }

  /** The node's partition count as the claim stands. */
  int count(NodeId node) {
    return counts.get(node);
  }

  /** Whether the node may trade one more partition now. */
  boolean allows(NodeId node) {
    Integer c = counts.get(node);
    if (c == null || remaining == 0) {
      return false;
    }
    if (strict) {
      return c == extreme;
    }
    int u = used.get(node);
    if (u >= max.get(node)) {
      return false;
    }
    int mandatoryAfter = mandatory - (u < min.get(node) ? 1 : 0);
    return mandatoryAfter <= remaining - 1;
  }

  /** Records one trade by the node; callers ask {@link #allows} first. */
  void use(NodeId node) {
    int u = used.get(node);
    if (u < min.get(node)) {
      mandatory--;
    }
    used.put(node, u + 1);
    counts.merge(node, giving ? -1 : 1, Integer::sum);
    remaining--;
    extreme = extreme();
  }

  /**
   * Whether one trade can move from {@code back} to {@code forth} with both staying within their
   * bounds (the total is unchanged). Never in the fall-back mode, which has no bounds to keep.
   */
  boolean canShift(NodeId back, NodeId forth) {
    if (strict) {
      return false;
    }
    if (back.equals(forth)) {
      return true;
    }
    return used.get(back) > min.get(back) && used.get(forth) < max.get(forth);
  }

  void shift(NodeId back, NodeId forth) {
    if (back.equals(forth)) {
      return;
    }
    used.merge(back, -1, Integer::sum);
    used.merge(forth, 1, Integer::sum);
    counts.merge(back, giving ? 1 : -1, Integer::sum);
    counts.merge(forth, giving ? -1 : 1, Integer::sum);
  }

  private int extreme() {
    int best = giving ? Integer.MIN_VALUE : Integer.MAX_VALUE;
    for (int c : counts.values()) {
      best = giving ? Math.max(best, c) : Math.min(best, c);
    }
    return best;
  }
}
