package io.ringkv.server.wiring;

import io.ringkv.api.NodeId;
import io.ringkv.replication.RingChange;
import java.util.Optional;
import java.util.Set;

/**
 * What the replication layer needs to know of membership beyond the current ring: the ring change
 * in progress, the members that may hold data, and where to say that this node holds every
 * partition it gains. A node binds it over gossip membership; the embedded demo cluster over its
 * fixed ring (no change ever).
 */
public interface Topology {
  /** A fixed ring: no change, no members beyond the ring, readiness ignored. */
  Topology FIXED = new Topology() {
    @Override
    public Optional<RingChange> change() {
      return Optional.empty();
    }

    @Override
    public Set<NodeId> members() {
      return Set.of();
    }

    @Override
    public void ready(long version) {}
  };

  Optional<RingChange> change();

  /** Every member that may still hold data (all but those that left or were removed). */
  Set<NodeId> members();

  /** This node holds every partition it gains in the ring change of {@code version}. */
  void ready(long version);
}
