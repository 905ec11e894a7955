package io.ringkv.ring;

import io.ringkv.api.NodeId;

/**
 * How well consecutive partitions have distinct owners. Two partitions at clockwise distance
 * 1 to {@code N - 1} with the same owner are a <em>violation</em>: a preference list starting
 * near them would need to walk further than {@code N} partitions to find {@code N} distinct
 * nodes. Riak's claim minimises the same thing (its {@code target_n_val}).
 */
final class Spread {
  /** The replication factor the layout is tuned for. */
  static final int N = 3;
  private static final int REACH = N - 1;

  private Spread() {
  }

  /** Whether {@code a} and {@code b} (distinct) lie within {@code N - 1} positions on a ring of q. */
  static boolean near(int q, int a, int b) {
    int d = Math.abs(a - b);
    int cyclic = Math.min(d, q - d);
    return cyclic >= 1 && cyclic <= REACH;
  }

  /** How many partitions within {@code N - 1} positions of p (p itself excluded) {@code node} owns. */
  static int around(NodeId[] owners, int p, NodeId node) {
    int q = owners.length;
    int mask = q - 1;
    int found = 0;
    if (q > 2 * REACH) {
      for (int d = 1; d <= REACH; d++) {
        if (owners[(p + d) & mask].equals(node)) {
          found++;
        }
        if (owners[(p - d) & mask].equals(node)) {
          found++;
        }
      }
      return found;
    }
    // Tiny rings: the positions on both sides overlap, count each one once.
    for (int j = 0; j < q; j++) {
      if (j != p && near(q, p, j) && owners[j].equals(node)) {
        found++;
      }
    }
    return found;
  }

  /** Violations that involve position p. */
  static int touching(NodeId[] owners, int p) {
    return around(owners, p, owners[p]);
  }

  /** Violations that involve position a or position b (distinct), each counted once. */
  static int touching(NodeId[] owners, int a, int b) {
    int both = near(owners.length, a, b) && owners[a].equals(owners[b]) ? 1 : 0;
    return touching(owners, a) + touching(owners, b) - both;
  }

  /** All violations on the ring. */
  static int total(NodeId[] owners) {
    int sum = 0;
    for (int p = 0; p < owners.length; p++) {
      sum += touching(owners, p);
    }
    return sum / 2;
  }
}
