package io.ringkv.ring;

import io.ringkv.api.NodeId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who owns which partition: the initial layout, a join and a leave (Riak's claim, simplified).
 * Every function keeps the ring balanced (each node owns {@code floor(Q/S)} or
 * {@code ceil(Q/S)} partitions), moves only the partitions it must, and then, among the layouts
 * allowed, prefers those where partitions within {@code N - 1} positions of each other have
 * distinct owners ({@link Spread}). That preference is best effort: it never costs balance or
 * extra movement. All functions are deterministic.
 */
final class Claim {
  private static final int MAX_PASSES = 8;
  /** Bounds the local search on huge rings: candidate moves looked at, per call. */
  private static final long SEARCH_BUDGET = 1_000_000L;

  private Claim() {
  }

  /** Round-robin over the sorted nodes, then swaps that break up same-owner neighbours. */
  static NodeId[] initial(int q, List<NodeId> sorted) {
    NodeId[] owners = new NodeId[q];
    for (int p = 0; p < q; p++) {
      owners[p] = sorted.get(p % sorted.size());
    }
    if (sorted.size() >= Spread.N) {
      improveBySwaps(owners);
    }
    return owners;
  }

  /**
   * The joiner takes {@code floor(Q / (S + 1))} partitions, aiming at evenly spaced positions
   * and preferring, at each, a partition whose neighbours it does not own, from a donor that
   * owns the most; then a local search exchanges taken partitions for others where that
   * removes violations.
   */
  static NodeId[] join(NodeId[] current, NodeId joiner) {
    int q = current.length;
    Map<NodeId, Integer> counts = counts(current);
    int take = q / (counts.size() + 1);
    NodeId[] next = current.clone();
    Quota quota = Quota.forJoin(counts, take);
    boolean[] taken = new boolean[q];
    int half = Math.max(1, q / (2 * Math.max(1, take)));
    for (int k = 0; k < take; k++) {
      int target = (int) ((long) k * q / take);
      int p = pick(next, joiner, quota, taken, target, half);
      if (p < 0) {
        p = pick(next, joiner, quota, taken, target, q / 2);
      }
      quota.use(next[p]);
      next[p] = joiner;
      taken[p] = true;
    }
    if (counts.size() + 1 >= Spread.N && !quota.strict()) {
      improveJoin(current, next, joiner, taken, quota);
    }
    return next;
  }

  /**
   * The leaver's partitions go, in clockwise order, to the nodes that own the fewest, preferring
   * a receiver that owns none of the partition's neighbours; then a local search swaps or
   * re-assigns moved partitions where that removes violations.
   */
  static NodeId[] leave(NodeId[] current, NodeId leaver) {
    int q = current.length;
    Map<NodeId, Integer> counts = counts(current);
    int give = counts.remove(leaver);
    int floor = q / counts.size();
    Quota quota = Quota.forLeave(counts, give, floor);
    NodeId[] next = current.clone();
    List<Integer> moved = new ArrayList<>(give);
    for (int p = 0; p < q; p++) {
      if (!current[p].equals(leaver)) {
        continue;
      }
      NodeId best = null;
      int bestNear = Integer.MAX_VALUE;
      int bestCount = Integer.MAX_VALUE;
      for (NodeId node : counts.keySet()) {
        if (!quota.allows(node)) {
          continue;
        }
        int nearby = Spread.around(next, p, node);
        int count = quota.count(node);
        if (nearby < bestNear || (nearby == bestNear && count < bestCount)) {
          best = node;
          bestNear = nearby;
          bestCount = count;
        }
      }
      quota.use(best);
      next[p] = best;
      moved.add(p);
    }
    if (counts.size() >= Spread.N && !quota.strict()) {
      improveLeave(next, moved, counts.keySet(), quota);
    }
    return next;
  }

  /** The best partition for the joiner within {@code radius} of target, or -1 if none is allowed. */
  private static int pick(NodeId[] next, NodeId joiner, Quota quota, boolean[] taken, int target,
      int radius) {
    int q = next.length;
    int best = -1;
    int bestDelta = Integer.MAX_VALUE;
    int bestCount = Integer.MIN_VALUE;
    int bestDistance = Integer.MAX_VALUE;
    for (int d = -radius; d <= radius; d++) {
      int p = Math.floorMod(target + d, q);
      if (taken[p] || !quota.allows(next[p])) {
        continue;
      }
      // Taking p adds the joiner's same-owner neighbours and removes the donor's.
      int delta = Spread.around(next, p, joiner) - Spread.around(next, p, next[p]);
      int count = quota.count(next[p]);
      int distance = Math.abs(d);
      if (delta < bestDelta
          || (delta == bestDelta && (count > bestCount
          || (count == bestCount && distance < bestDistance)))) {
        best = p;
        bestDelta = delta;
        bestCount = count;
        bestDistance = distance;
      }
    }
    return best;
  }

  private static void improveBySwaps(NodeId[] owners) {
    int q = owners.length;
    long budget = SEARCH_BUDGET;
    for (int pass = 0; pass < MAX_PASSES && budget > 0; pass++) {
      boolean improved = false;
      for (int p = 0; p < q && budget > 0; p++) {
        if (Spread.touching(owners, p) == 0) {
          continue;
        }
        int bestX = -1;
        int bestGain = 0;
        for (int x = 0; x < q; x++) {
          budget--;
          if (owners[x].equals(owners[p])) {
            continue;
          }
          int gain = gainOfSwap(owners, p, x);
          if (gain > bestGain) {
            bestGain = gain;
            bestX = x;
          }
        }
        if (bestX >= 0) {
          swap(owners, p, bestX);
          improved = true;
        }
      }
      if (!improved) {
        return;
      }
    }
  }

  /**
   * Exchanges a taken partition p (back to its donor) for an untaken x (to the joiner) when that
   * removes violations and the donors stay within their quota.
   */
  private static void improveJoin(NodeId[] current, NodeId[] next, NodeId joiner,
      boolean[] taken, Quota quota) {
    int q = next.length;
    long budget = SEARCH_BUDGET;
    for (int pass = 0; pass < MAX_PASSES && budget > 0; pass++) {
      boolean improved = false;
      for (int v = 0; v < q && budget > 0; v++) {
        if (Spread.touching(next, v) == 0) {
          continue;
        }
        int bestP = -1;
        int bestX = -1;
        int bestGain = 0;
        for (int other = 0; other < q; other++) {
          budget--;
          if (other == v || taken[other] == taken[v]) {
            continue;
          }
          int p = taken[v] ? v : other;
          int x = taken[v] ? other : v;
          if (!quota.canShift(current[p], next[x])) {
            continue;
          }
          int before = Spread.touching(next, p, x);
          NodeId donor = next[x];
          next[p] = current[p];
          next[x] = joiner;
          int gain = before - Spread.touching(next, p, x);
          next[p] = joiner;
          next[x] = donor;
          if (gain > bestGain) {
            bestGain = gain;
            bestP = p;
            bestX = x;
          }
        }
        if (bestP >= 0) {
          quota.shift(current[bestP], next[bestX]);
          next[bestP] = current[bestP];
          next[bestX] = joiner;
          taken[bestP] = false;
          taken[bestX] = true;
          improved = true;
        }
      }
      if (!improved) {
        return;
      }
    }
  }

  /** Swaps the receivers of two moved partitions, or re-assigns one within the quota. */
  private static void improveLeave(NodeId[] next, List<Integer> moved, Iterable<NodeId> receivers,
      Quota quota) {
    long budget = SEARCH_BUDGET;
    for (int pass = 0; pass < MAX_PASSES && budget > 0; pass++) {
      boolean improved = false;
      for (int p : moved) {
        if (budget <= 0) {
          break;
        }
        if (Spread.touching(next, p) == 0) {
          continue;
        }
        int bestX = -1;
        NodeId bestNode = null;
        int bestGain = 0;
        for (int x : moved) {
          budget--;
          if (next[x].equals(next[p])) {
            continue;
          }
          int gain = gainOfSwap(next, p, x);
          if (gain > bestGain) {
            bestGain = gain;
            bestX = x;
          }
        }
        NodeId holder = next[p];
        for (NodeId node : receivers) {
          budget--;
          if (node.equals(holder) || !quota.canShift(holder, node)) {
            continue;
          }
          int gain = Spread.touching(next, p);
          next[p] = node;
          gain -= Spread.touching(next, p);
          next[p] = holder;
          if (gain > bestGain) {
            bestGain = gain;
            bestX = -1;
            bestNode = node;
          }
        }
        if (bestNode != null) {
          quota.shift(holder, bestNode);
          next[p] = bestNode;
          improved = true;
        } else if (bestX >= 0) {
          swap(next, p, bestX);
          improved = true;
        }
      }
      if (!improved) {
        return;
      }
    }
  }

  private static int gainOfSwap(NodeId[] owners, int a, int b) {
    int before = Spread.touching(owners, a, b);
    swap(owners, a, b);
    int after = Spread.touching(owners, a, b);
    swap(owners, a, b);
    return before - after;
  }

  private static void swap(NodeId[] owners, int a, int b) {
    NodeId t = owners[a];
    owners[a] = owners[b];
    owners[b] = t;
  }

  static Map<NodeId, Integer> counts(NodeId[] owners) {
    Map<NodeId, Integer> counts = new TreeMap<>();
    for (NodeId owner : owners) {
      counts.merge(owner, 1, Integer::sum);
    }
    return counts;
  }
}
