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
 * JOINING or UP and the winning ring lacks it, it proposes a pending ring with itself
 * ({@code withNode(self)}, ring version + 1); while it is LEAVING or LEFT and the ring holds it,
 * one without itself. A proposal waits while another ring change is in progress, so changes go
 * one at a time; concurrent proposals tie at the same pending version and lose to the
 * deterministic tie-break, and the losers propose again after the switch. Any node proposes the
 * removal of a member an operator removed (status LEFT) that the ring still holds.
 *
 * <p>The switch: once every node of the pending ring is ready for it ({@link Member#readyFor},
 * set when a node holds every partition it gains), every node makes the pending ring current at
 * the pending version. It is a function of the gossiped state, so every node switches the same.
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
  private final boolean autoReady;

  /**
   * @param mayStartRing true for a node without seeds; a node with seeds may only once a peer
   *     answered (see {@link #peerAnswered})
   */
  LocalView(Member self, int partitions, ClusterState initial, boolean mayStartRing) {
    this(self, partitions, initial, mayStartRing, true);
  }

  /** @param autoReady whether this node is ready for any pending ring as soon as it sees it */
  LocalView(Member self, int partitions, ClusterState initial, boolean mayStartRing,
      boolean autoReady) {
    this.autoReady = autoReady;
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
    Ring after = state.pendingRing().filter(r -> !r.contains(self))
        .orElse(before.withoutNode(self));
    LOG.info("{} leaves the ring (ring version {}): {} partitions to hand off before it is out",
        self, state.ringVersion(), before.ownershipCounts().get(self));
    return before.transfersTo(after);
  }

  /** This node holds every partition it gains in the pending ring of {@code version}. */
  boolean markReady(long version) {
    if (version <= me.readyFor()) {
      return false;
    }
    me = me.withReadyFor(version);
    return commit(reconciled(state.withMember(me)));
  }

  /**
   * Removes a dead member an operator gave up on: its entry becomes LEFT (with a higher
   * incarnation, so it wins; the node, if it ever comes back, takes a higher one still and joins
   * again) and a pending ring without it is proposed. The new owners of its partitions rebuild
   * them from the surviving replicas.
   *
   * @throws RingkvException if the node is this one, unknown, not in the ring or its last node
   */
  Ring remove(NodeId node) {
    if (node.equals(self)) {
      throw refused("node " + self + " cannot remove itself: use leave");
    }
    Member m = state.members().get(node);
    if (m == null) {
      throw refused("node " + node + " is not a member; members: " + state.members().keySet());
    }
    Ring pending = state.pendingRing().orElse(null);
    boolean inRing = ring != null && ring.contains(node);
    if (!inRing && (pending == null || !pending.contains(node))) {
      throw refused("node " + node + " is not in the ring");
    }
    if (ring != null && ring.nodes().size() == 1) {
      throw refused("node " + node + " is the last node of the ring");
    }
    ClusterState next = state.withMember(m.withStatus(Status.LEFT)
        .withIncarnation(m.incarnation() + 1));
    if (pending != null && pending.contains(node)) {
      next = next.withPending(pending.withoutNode(node), state.pendingVersion() + 1);
    } else if (pending == null) {
      next = next.withPending(ring.withoutNode(node), state.ringVersion() + 1);
    }
    commit(reconciled(next));
    LOG.info("{} removes {} from the ring: its partitions are rebuilt on their new owners", self,
        node);
    return state.pendingRing().orElse(ring);
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
    boolean idle = s.pendingOwners().isEmpty();
    if (wantsIn) {
      if (current == null && mayStartRing) {
        current = Ring.create(partitions, List.of(self));
        next = next.withRing(current, 1);
        LOG.info("{} starts a ring of {} partitions", self, partitions);
      } else if (current != null && !current.contains(self) && idle) {
        if (current.nodes().size() >= partitions) {
          if (!ringFullLogged) {
            LOG.error("{} cannot join: the ring already has {} nodes for {} partitions", self,
                current.nodes().size(), partitions);
            ringFullLogged = true;
          }
        } else {
          next = next.withPending(current.withNode(self), s.ringVersion() + 1);
          LOG.info("{} asks to join the ring: its partitions are handed to it, then ring version"
              + " {} takes effect", self, next.pendingVersion());
        }
      }
    } else if (current != null && current.contains(self) && current.nodes().size() > 1 && idle) {
      next = next.withPending(current.withoutNode(self), s.ringVersion() + 1);
    }
    if (current != null && next.pendingOwners().isEmpty()) {
      Ring without = current;
      for (Member m : next.members().values()) {
        if (m.status() == Status.LEFT && !m.id().equals(self) && without.contains(m.id())
            && without.nodes().size() > 1) {
          without = without.withoutNode(m.id());
        }
      }
      if (!without.equals(current)) {
        next = next.withPending(without, next.ringVersion() + 1);
      }
    }
    if (autoReady && !next.pendingOwners().isEmpty() && me.readyFor() < next.pendingVersion()) {
      me = me.withReadyFor(next.pendingVersion());
      next = next.withMember(me);
    }
    next = switchIfReady(next);
    Ring after = next == s ? current : next.ring().orElse(null);
    if (me.status() == Status.JOINING && after != null && after.contains(self)) {
      me = me.withStatus(Status.UP);
      next = next.withMember(me);
    }
    return next;
  }

  /** The pending ring made current once every node of it is ready for it. */
  private ClusterState switchIfReady(ClusterState s) {
    Ring pending = s.pendingRing().orElse(null);
    if (pending == null) {
      return s;
    }
    for (NodeId node : pending.nodes()) {
      Member m = node.equals(self) ? me : s.members().get(node);
      if (m == null || m.readyFor() < s.pendingVersion()) {
        return s;
      }
    }
    LOG.info("{}: every node holds its partitions of ring version {}: switching to it", self,
        s.pendingVersion());
    return s.switchedToPending();
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
