package io.ringkv.versioning;

import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;
import java.util.Map;
import java.util.TreeSet;

/**
 * Syntactic reconciliation across replicas, as the coordinator's get and read repair use it: the
 * answers are merged (a version survives unless some answer's causal context covers its dot), and
 * every replica whose answer lacks part of the result is named stale.
 */
public final class Reconciler {
  private Reconciler() {
  }

  /**
   * Merges the answers and finds the stale ones. A node is stale when its answer does not
   * {@linkplain Siblings#contains contain} the merged set, i.e. merging the result into it would
   * change it. No answers give the empty set and no stale node.
   */
  public static Reconciled reconcile(Map<NodeId, Siblings> answers) {
    Siblings merged = Siblings.empty();
    for (Map.Entry<NodeId, Siblings> e : answers.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new IllegalArgumentException("answer of node " + e.getKey()
            + " is missing: pass Siblings.empty() for a node that holds nothing");
      }
      merged = merged.merge(e.getValue());
    }
    TreeSet<NodeId> stale = new TreeSet<>();
    for (Map.Entry<NodeId, Siblings> e : answers.entrySet()) {
      if (!e.getValue().contains(merged)) {
        stale.add(e.getKey());
      }
    }
    return new Reconciled(merged, stale);
  }
}
