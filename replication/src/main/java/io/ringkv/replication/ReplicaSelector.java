package io.ringkv.replication;

import io.ringkv.api.NodeId;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that chooses which nodes a request's replica messages go to: the coordinator asks
 * it and never decides by itself. Today the targets are the key's primaries (the top N of the
 * preference list); a primary the failure detector believes down is not sent to and counts as a
 * failed replica at once.
 */
final class ReplicaSelector {
  private final NodeId self;
  private final Liveness liveness;

  ReplicaSelector(NodeId self, Liveness liveness) {
    this.self = self;
    this.liveness = liveness;
  }

  /** The replicas of a request, split by what the failure detector believes of them. */
  record Targets(List<NodeId> reachable, List<NodeId> down) {
    Targets {
      reachable = List.copyOf(reachable);
      down = List.copyOf(down);
    }

    int size() {
      return reachable.size() + down.size();
    }
  }

  /** Where a write's copies go: the primaries other than this node (which wrote locally). */
  Targets forWrite(Plan plan) {
    return split(plan, false);
  }

  /** Whom a read asks: every primary, this node included. */
  Targets forRead(Plan plan) {
    return split(plan, true);
  }

  private Targets split(Plan plan, boolean includeSelf) {
    List<NodeId> reachable = new ArrayList<>();
    List<NodeId> down = new ArrayList<>();
    for (NodeId node : plan.primaries()) {
      if (node.equals(self)) {
        if (includeSelf) {
          reachable.add(node);
        }
      } else if (liveness.isUp(node)) {
        reachable.add(node);
      } else {
        down.add(node);
      }
    }
    return new Targets(reachable, down);
  }

  /**
   * Which nodes may coordinate the request, in the order they are tried: the primaries this node
   * believes up (itself always), in preference order.
   */
  List<NodeId> coordinators(Plan plan) {
    List<NodeId> candidates = new ArrayList<>();
    for (NodeId node : plan.primaries()) {
      if (node.equals(self) || liveness.isUp(node)) {
        candidates.add(node);
      }
    }
    return candidates;
  }
}
