package io.ringkv.membership;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import io.ringkv.ring.Ring;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The gossiped state of the cluster: every member with its address and status, and the ring
 * (the owner of each partition, {@code ringOwners.get(p)} owns partition {@code p}; empty before
 * any ring exists) with its {@code ringVersion}, which grows by one with every join or leave.
 *
 * <p>{@link #merge} is a join: commutative, associative and idempotent, so nodes that have seen
 * the same updates in any order, any number of times, hold the same state. {@code version} is
 * not part of the gossiped agreement: it is the local counter of changes a node keeps for logs
 * and the HTTP view ({@link Membership} bumps it on every change other than heartbeats; merge
 * takes the larger).
 *
 * <p>Invariants: every ring owner is a member; {@code ringVersion} is 0 exactly when there is no
 * ring; the ring's size is a power of two. {@code members} iterates in node order.
 */
public record ClusterState(long version, Map<NodeId, Member> members, List<NodeId> ringOwners,
    long ringVersion, List<NodeId> pendingOwners, long pendingVersion) {

  private static final ClusterState EMPTY = new ClusterState(0, Map.of(), List.of(), 0);

  /** A state with no ring change in progress. */
  public ClusterState(long version, Map<NodeId, Member> members, List<NodeId> ringOwners,
      long ringVersion) {
    this(version, members, ringOwners, ringVersion, List.of(), 0);
  }

  public ClusterState {
    Objects.requireNonNull(members, "members");
    Objects.requireNonNull(ringOwners, "ringOwners");
    if (version < 0) {
      throw invalid("version " + version + " is negative");
    }
    if (ringVersion < 0) {
      throw invalid("ring version " + ringVersion + " is negative");
    }
    TreeMap<NodeId, Member> sorted = new TreeMap<>();
    for (Map.Entry<NodeId, Member> e : members.entrySet()) {
      Member m = Objects.requireNonNull(e.getValue(), "members must not hold null");
      if (!m.id().equals(e.getKey())) {
        throw invalid("the member under key " + e.getKey() + " has id " + m.id()
            + ": each member is keyed by its own id");
      }
      sorted.put(m.id(), m);
    }
    members = Collections.unmodifiableSortedMap(sorted);
    ringOwners = List.copyOf(ringOwners);
    if (ringOwners.isEmpty() != (ringVersion == 0)) {
      throw invalid("ring version " + ringVersion + " with " + ringOwners.size()
          + " owners: version 0 means no ring, and a ring has version 1 or more");
    }
    if (!ringOwners.isEmpty() && Integer.bitCount(ringOwners.size()) != 1) {
      throw invalid("a ring of " + ringOwners.size()
          + " partitions is invalid: the partition count is a power of two");
    }
    for (NodeId owner : ringOwners) {
      if (!members.containsKey(owner)) {
        throw invalid("ring owner " + owner + " is not a member: every owner needs an address");
      }
    }
    Objects.requireNonNull(pendingOwners, "pendingOwners");
    pendingOwners = List.copyOf(pendingOwners);
    if (pendingOwners.isEmpty() != (pendingVersion == 0)) {
      throw invalid("pending ring version " + pendingVersion + " with " + pendingOwners.size()
          + " owners: version 0 means no ring change in progress");
    }
    if (!pendingOwners.isEmpty()) {
      if (pendingOwners.size() != ringOwners.size()) {
        throw invalid("a pending ring of " + pendingOwners.size() + " partitions for a ring of "
            + ringOwners.size() + ": the partition count never changes");
      }
      if (pendingVersion <= ringVersion) {
        throw invalid("pending ring version " + pendingVersion + " is not above the ring version "
            + ringVersion);
      }
      for (NodeId owner : pendingOwners) {
        if (!members.containsKey(owner)) {
          throw invalid("pending ring owner " + owner + " is not a member");
        }
      }
    }
  }

  /**
   * The ring the cluster is moving to while partitions are handed off (join, leave, remove):
   * writes reach its new replicas too; reads and coordination stay on {@link #ring} until the
   * switch. Empty when no change is in progress.
   */
  public Optional<Ring> pendingRing() {
    return pendingOwners.isEmpty() ? Optional.empty() : Optional.of(Ring.of(pendingOwners));
  }

  /** This state moving to {@code next} (version {@code version}, above the ring's). */
  public ClusterState withPending(Ring next, long version) {
    Objects.requireNonNull(next, "next");
    return new ClusterState(this.version, members, ringOwners, ringVersion, next.owners(),
        version);
  }

  /** This state with the pending ring made current (the switch) and no change in progress. */
  public ClusterState switchedToPending() {
    if (pendingOwners.isEmpty()) {
      throw invalid("no pending ring to switch to");
    }
    return new ClusterState(version, members, pendingOwners, pendingVersion, List.of(), 0);
  }

  /** No members, no ring. */
  public static ClusterState empty() {
    return EMPTY;
  }

  /** The ring, rebuilt from the owners; empty before any ring exists. */
  public Optional<Ring> ring() {
    return ringOwners.isEmpty() ? Optional.empty() : Optional.of(Ring.of(ringOwners));
  }

  public Optional<Member> member(NodeId id) {
    return Optional.ofNullable(members.get(Objects.requireNonNull(id, "id")));
  }

  /** This state with the member's entry replaced (not merged) by {@code member}. */
  public ClusterState withMember(Member member) {
    Objects.requireNonNull(member, "member");
    TreeMap<NodeId, Member> next = new TreeMap<>(members);
    next.put(member.id(), member);
    return new ClusterState(version, next, ringOwners, ringVersion, pendingOwners,
        pendingVersion);
  }

  /** This state with another ring (and no ring change in progress unless one is above it). */
  public ClusterState withRing(Ring ring, long newRingVersion) {
    Objects.requireNonNull(ring, "ring");
    boolean keep = pendingVersion > newRingVersion && pendingOwners.size() == ring.partitions();
    return new ClusterState(version, members, ring.owners(), newRingVersion,
        keep ? pendingOwners : List.of(), keep ? pendingVersion : 0);
  }

  /** This state without a ring (and without a ring change). */
  public ClusterState withoutRing() {
    return new ClusterState(version, members, List.of(), 0, List.of(), 0);
  }

  public ClusterState withVersion(long newVersion) {
    return new ClusterState(newVersion, members, ringOwners, ringVersion, pendingOwners,
        pendingVersion);
  }

  /**
   * The join of two states: per member the entry {@link Member#merge} keeps; the ring with the
   * higher ring version, ties broken by comparing the owner lists element by element (node id
   * order, then length), the greater winning; of the pending rings, the one with the higher
   * pending version (same tie-break), kept only while it is above the winning ring's version;
   * the larger version.
   */
  public ClusterState merge(ClusterState other) {
    Objects.requireNonNull(other, "other");
    TreeMap<NodeId, Member> merged = new TreeMap<>(members);
    for (Member m : other.members.values()) {
      merged.merge(m.id(), m, Member::merge);
    }
    boolean mine = compareRings(this, other) >= 0;
    List<NodeId> owners = mine ? ringOwners : other.ringOwners;
    long ring = mine ? ringVersion : other.ringVersion;
    boolean minePending = comparePending(this, other) >= 0;
    List<NodeId> pending = minePending ? pendingOwners : other.pendingOwners;
    long pendingAt = minePending ? pendingVersion : other.pendingVersion;
    if (pendingAt <= ring || pending.size() != owners.size()) {
      pending = List.of();
      pendingAt = 0;
    }
    return new ClusterState(Math.max(version, other.version), merged, owners, ring, pending,
        pendingAt);
  }

  static int comparePending(ClusterState a, ClusterState b) {
    int c = Long.compare(a.pendingVersion, b.pendingVersion);
    return c != 0 ? c : compareOwners(a.pendingOwners, b.pendingOwners);
  }

  /** Equal except for heartbeats and the local version: no membership or ring change. */
  boolean sameExceptHeartbeats(ClusterState other) {
    if (ringVersion != other.ringVersion || !ringOwners.equals(other.ringOwners)
        || pendingVersion != other.pendingVersion || !pendingOwners.equals(other.pendingOwners)
        || !members.keySet().equals(other.members.keySet())) {
      return false;
    }
    for (Member m : members.values()) {
      if (!m.sameExceptHeartbeat(other.members.get(m.id()))) {
        return false;
      }
    }
    return true;
  }

  static int compareRings(ClusterState a, ClusterState b) {
    int c = Long.compare(a.ringVersion, b.ringVersion);
    if (c != 0) {
      return c;
    }
    return compareOwners(a.ringOwners, b.ringOwners);
  }

  private static int compareOwners(List<NodeId> x, List<NodeId> y) {
    int c;
    for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
      c = x.get(i).compareTo(y.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.size(), y.size());
  }

  private static RingkvException invalid(String message) {
    return new RingkvException(ErrorCode.INVALID_ARGUMENT, message);
  }

  @Override
  public String toString() {
    return "ClusterState[version=" + version + ", members=" + members.keySet() + ", ringVersion="
        + ringVersion + ", ring=" + (ringOwners.isEmpty() ? "none"
        : ringOwners.size() + " partitions over " + new java.util.TreeSet<>(ringOwners))
        + (pendingOwners.isEmpty() ? "" : ", pending " + pendingVersion + " over "
            + new java.util.TreeSet<>(pendingOwners)) + "]";
  }
}
