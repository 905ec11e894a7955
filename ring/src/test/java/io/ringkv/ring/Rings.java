package io.ringkv.ring;

import io.ringkv.api.NodeId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Helpers the ring tests share. */
final class Rings {
  private Rings() {
  }

  /** node-00, node-01, ... */
  static List<NodeId> nodes(int s) {
    List<NodeId> nodes = new ArrayList<>(s);
    for (int i = 0; i < s; i++) {
      nodes.add(NodeId.of(String.format("node-%02d", i)));
    }
    return nodes;
  }

  /** Every node owns floor(Q/S) or ceil(Q/S) partitions, and the counts add up to Q. */
  static boolean balanced(Ring ring) {
    int q = ring.partitions();
    int s = ring.nodes().size();
    int sum = 0;
    for (int c : ring.ownershipCounts().values()) {
      if (c != q / s && c != (q + s - 1) / s) {
        return false;
      }
      sum += c;
    }
    return sum == q;
  }

  /** Partitions p whose window p, p+1, p+2 (clockwise) has fewer than 3 distinct owners. */
  static int crowdedWindows(Ring ring) {
    int q = ring.partitions();
    int crowded = 0;
    for (int p = 0; p < q; p++) {
      Set<NodeId> window = new HashSet<>();
      for (int i = 0; i < Spread.N; i++) {
        window.add(ring.owner((p + i) % q));
      }
      if (window.size() < Math.min(Spread.N, ring.nodes().size())) {
        crowded++;
      }
    }
    return crowded;
  }
}
