package io.ringkv.membership;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import io.ringkv.membership.Member.Status;
import io.ringkv.ring.Ring;
import io.ringkv.ring.Transfer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's copy of the cluster state and the rules it applies to it. Not thread-safe: the
 * {@link Membership} lock guards it.
 *
 * <p>The node owns its own entry: whatever gossip says about it, the entry in the state is
 * {@link #me}, and if gossip carries a greater entry for this id (a restart that reused an
 * incarnation, or another node with the same id), the node takes a higher incarnation.
 *
 * <p>The node changes the ring only for itself, and keeps re-asserting what it wants: while it is
 * JOINING or UP and the winning ring lacks it, it joins that ring ({@code withNode(self)},
 * ring version + 1); while it is LEAVING or LEFT and the ring holds it, it leaves it. That is
 * how concurrent joins and leaves, which tie at the same ring version and lose to the
 * deterministic tie-break, converge to a ring that honours all of them.
 */
final class LocalView {
  private static final Logger LOG = LoggerFactory.getLogger(LocalView.class);

  private final NodeId self;
  private final int partitions;
  private Member me;
  private ClusterState state;
  private Ring ring;
  /** Whether a ring of its own may be started when no ring exists anywhere known. */
  private boolean mayStartRing;
  private boolean ringFullLogged;

  /**
   * @param mayStartRing true for a node without seeds; a node with seeds may only once a peer
   *     answered (see {@link #peerAnswered})
   */
  LocalView(Member self, int partitions, ClusterState initial, boolean mayStartRing) {
    this.self = self.id();
    this.partitions = partitions;
    this.mayStartRing = mayStartRing;
    checkPartitions(initial, "the initial state");
    Member stored = initial.members().get(this.self);
    Member start = self.withHeartbeat(0);
    if (stored != null && stored.incarnation() >= start.incarnation()) {
      start = start.withIncarnation(stored.incarnation() + 1);
    }
    this.me = start;
    this.state = initial.withMember(me);
    this.ring = state.ring().orElse(null);
  }

  ClusterState state() {
    return state;
  }

  Member me() {
    return me;
  }

  Ring ring() {
    return ring;
  }

  /**
   * Refuses a state whose ring has another partition count.
   *
   * @throws RingkvException naming both counts
   */
  void checkPartitions(ClusterState other, String what) {
    if (!other.ringOwners().isEmpty() && other.ringOwners().size() != partitions) {
      throw new RingkvException(ErrorCode.INVALID_ARGUMENT, what + " has a ring of "
          + other.ringOwners().size() + " partitions but node " + self + " is configured with "
          + partitions + " (ring.partitions): the partition count is fixed for the life of a "
          + "cluster");
    }
  }

  /** A peer answered an exchange: if no ring exists anywhere it knows, it may start one. */
  void peerAnswered() {
    mayStartRing = true;
  }

  /** Bumps this node's heartbeat; never a membership change. */
  void beat() {
    me = me.withHeartbeat(me.heartbeat() + 1);
    state = state.withMember(me);
  }

  /** Merges a peer's state, then re-asserts this node's wishes. True if membership changed. */
  boolean merge(ClusterState theirs) {
    checkPartitions(theirs, "the gossiped state");
    ClusterState merged = state.merge(theirs);
    Member seen = merged.members().get(self);
    if (!seen.equals(me)) {
      LOG.warn("gossip carries a newer entry for this node {} (incarnation {}, {}): taking "
          + "incarnation {}; was it restarted without a new incarnation, or does another node "
          + "use the same id?", self, seen.incarnation(), seen.status(), seen.incarnation() + 1);
      me = me.withIncarnation(seen.incarnation() + 1);
      merged = merged.withMember(me);
    }
    return commit(reconciled(merged));
  }

  /** Re-asserts this node's wishes on the current state. True if membership changed. */
  boolean reconcile() {
    return commit(reconciled(state));
  }

  /**
   * Marks this node LEAVING and takes it out of the ring.
   *
   * @return the partitions that change owner, for the handoff
   * @throws RingkvException if the node is not in a ring, is its last node, or is already leaving
   */
  Map<Integer, Transfer> leave() {
    if (me.status() == Status.LEAVING || me.status() == Status.LEFT) {
      throw refused("node " + self + " is already " + me.status());
    }
    if (ring == null || !ring.contains(self)) {
      throw refused("node " + self + " is not in a ring, so it cannot leave one");
    }
    if (ring.nodes().size() == 1) {
      throw refused("node " + self + " is the last node of the ring: a ring needs at least one "
          + "node");
    }
    Ring before = ring;
    me = me.withStatus(Status.LEAVING);
    commit(reconciled(state.withMember(me)));
    LOG.info("{} leaves the ring (ring version {}): {} partitions to hand off", self,
        state.ringVersion(), before.ownershipCounts().get(self));
    return before.transfersTo(ring);
  }

  /**
   * Marks this LEAVING node LEFT, once its handoff is done.
   *
   * @throws RingkvException if the node is not LEAVING or the ring still holds it
   */
  void completeLeave() {
    if (me.status() != Status.LEAVING) {
      throw refused("node " + self + " is " + me.status() + ", not LEAVING: call leave() first");
    }
    if (ring != null && ring.contains(self)) {
      throw refused("node " + self + " still owns partitions in ring version "
          + state.ringVersion() + ": wait until its leave has spread");
    }
    me = me.withStatus(Status.LEFT);
    commit(state.withMember(me));
    LOG.info("{} has left the cluster", self);
  }

  /**
   * Prepares a standalone node to join another cluster: forgets its own ring and becomes
   * JOINING with a new incarnation; the ring is started or joined once a peer answers.
   *
   * @throws RingkvException if the ring holds any node other than this one
   */
  void prepareJoin() {
    if (ring != null && !List.of(self).containsAll(ring.nodes())) {
      throw refused("node " + self + " is already in a ring of " + ring.nodes().size()
          + " nodes: join is for a standalone node");
    }
    me = me.withIncarnation(me.incarnation() + 1).withStatus(Status.JOINING);
    mayStartRing = false;
    commit(state.withoutRing().withMember(me));
  }

  /** A join that found no peer: the node is standalone again and restarts its own ring. */
  void abandonJoin() {
    mayStartRing = true;
    reconcile();
  }

  private ClusterState reconciled(ClusterState s) {
    Ring current = ringOf(s);
    boolean wantsIn = me.status() == Status.JOINING || me.status() == Status.UP;
    ClusterState next = s;
    if (wantsIn) {
      if (current == null && mayStartRing) {
        current = Ring.create(partitions, List.of(self));
        next = next.withRing(current, 1);
        LOG.info("{} starts a ring of {} partitions", self, partitions);
      } else if (current != null && !current.contains(self)) {
        if (current.nodes().size() >= partitions) {
          if (!ringFullLogged) {
            LOG.error("{} cannot join: the ring already has {} nodes for {} partitions", self,
                current.nodes().size(), partitions);
            ringFullLogged = true;
          }
        } else {
          current = current.withNode(self);
          next = next.withRing(current, s.ringVersion() + 1);
          LOG.info("{} joins the ring at version {}", self, next.ringVersion());
        }
      }
      if (me.status() == Status.JOINING && current != null && current.contains(self)) {
        me = me.withStatus(Status.UP);
        next = next.withMember(me);
      }
    } else if (current != null && current.contains(self) && current.nodes().size() > 1) {
      current = current.withoutNode(self);
      next = next.withRing(current, s.ringVersion() + 1);
    }
    return next;
  }

  private boolean commit(ClusterState next) {
    boolean changed = !next.sameExceptHeartbeats(state);
    if (changed) {
      ring = ringOf(next);
      state = next.withVersion(state.version() + 1);
    } else {
      state = next.withVersion(state.version());
    }
    return changed;
  }

  /** The state's ring, reusing the cached one when the owners are the same. */
  private Ring ringOf(ClusterState s) {
    return s.ringOwners().equals(state.ringOwners()) ? ring : s.ring().orElse(null);
  }

  private static RingkvException refused(String message) {
    return new RingkvException(ErrorCode.INVALID_ARGUMENT, message);
  }

  @Override
  public String toString() {
    return Objects.toString(state);
  }
}
