package io.ringkv.versioning;

import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@link Reconciler#reconcile} found among the replicas' answers for one key.
 *
 * @param merged the merge of every answer: what a get returns (before resolution) and what read
 *     repair sends
 * @param stale the nodes whose answer lacks something of {@code merged}, in node order: the
 *     targets of read repair
 */
public record Reconciled(Siblings merged, Set<NodeId> stale) {
  public Reconciled {
    if (merged == null || stale == null) {
      throw new IllegalArgumentException("reconciled needs merged siblings and a stale set");
    }
    stale = Collections.unmodifiableSet(new TreeSet<>(stale));
  }

  /** True when every answer already held the whole merged set: no read repair needed. */
  public boolean consistent() {
    return stale.isEmpty();
  }
}
