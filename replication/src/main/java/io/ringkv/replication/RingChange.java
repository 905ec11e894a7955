package io.ringkv.replication;

import io.ringkv.api.NodeId;
import io.ringkv.ring.Ring;
import java.util.Objects;
import java.util.Set;

/**
 * A ring change in progress (a join, leave or remove): the ring the cluster moves to once every
 * node of it holds the partitions it gains. Until then the current ring coordinates and answers
 * reads; writes also reach the new replicas, and each node pulls the partitions it gains from
 * their current replicas (see {@link PartitionTransfers}).
 *
 * @param next the ring after the change
 * @param version its version (it takes effect as this ring version)
 * @param gone members removed while dead: never a source of a transfer
 */
public record RingChange(Ring next, long version, Set<NodeId> gone) {
  public RingChange {
    Objects.requireNonNull(next, "next");
    if (version < 1) {
      throw new IllegalArgumentException("a ring change version is at least 1, was " + version);
    }
    gone = Set.copyOf(gone);
  }
}
