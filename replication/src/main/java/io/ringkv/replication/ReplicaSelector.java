package io.ringkv.replication;

import io.ringkv.api.NodeId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one place that chooses which nodes a request's replica messages go to: the rounds ask it
 * and never decide by themselves. The targets are the key's primaries (the top N of the
 * preference list); a primary the failure detector believes down is not sent to. In a sloppy
 * bucket, a primary that is down or fails is stood in for by the next fall-back beyond the top N
 * that is up and not already used by the request ({@link #fallback}).
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
   * The node to stand in for a primary that is down or failed: the first fall-back of the key's
   * preference list that the failure detector believes up and that the request has not used yet;
   * none when the bucket is strict or no such node is left.
   */
  Optional<NodeId> fallback(Plan plan, Set<NodeId> used) {
    if (!plan.sloppy()) {
      return Optional.empty();
    }
    for (NodeId node : plan.preference().fallbacks()) {
      if (!node.equals(self) && !used.contains(node) && liveness.isUp(node)) {
        return Optional.of(node);
      }
    }
    return Optional.empty();
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
