package io.ringkv.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import io.ringkv.api.NodeId;
import io.ringkv.membership.Member.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.impl.Constraint;

/**
 * Merge is a join (QuickTheories, fixed seed): commutative, associative, idempotent, an upper
 * bound of both sides. The generator draws from a small pool of nodes, incarnations, statuses,
 * heartbeats, addresses and rings, so ties (same incarnation, same ring version) are frequent.
 */
class ClusterStateMergeTest {
  private static final List<NodeId> POOL =
      List.of(NodeId.of("a"), NodeId.of("b"), NodeId.of("c"), NodeId.of("d"));
  private static final Gen<ClusterState> STATES = ClusterStateMergeTest::state;

  @Test
  void mergeIsCommutative() {
    qt().withFixedSeed(11L).withExamples(2000).forAll(STATES, STATES)
        .check((a, b) -> a.merge(b).equals(b.merge(a)));
  }

  @Test
  void mergeIsAssociative() {
    qt().withFixedSeed(12L).withExamples(2000).forAll(STATES, STATES, STATES)
        .check((a, b, c) -> a.merge(b).merge(c).equals(a.merge(b.merge(c))));
  }

  @Test
  void mergeIsIdempotent() {
    qt().withFixedSeed(13L).withExamples(1000).forAll(STATES)
        .check(a -> a.merge(a).equals(a));
  }

  @Test
  void theMergeAbsorbsBothSides() {
    qt().withFixedSeed(14L).withExamples(2000).forAll(STATES, STATES)
        .check((a, b) -> {
          ClusterState m = a.merge(b);
          return m.merge(a).equals(m) && m.merge(b).equals(m)
              && m.members().keySet().containsAll(a.members().keySet())
              && m.members().keySet().containsAll(b.members().keySet())
              && m.ringVersion() == Math.max(a.ringVersion(), b.ringVersion());
        });
  }

  @Test
  void memberMergeIsCommutativeAssociativeAndIdempotent() {
    Gen<Member> members = in -> member(in, POOL.get(0));
    qt().withFixedSeed(15L).withExamples(2000).forAll(members, members, members)
        .check((x, y, z) -> x.merge(y).equals(y.merge(x))
            && x.merge(y).merge(z).equals(x.merge(y.merge(z)))
            && x.merge(x).equals(x));
  }

  @Test
  void theGeneratorProducesTiesThatTheTieBreakMustSettle() {
    int[] ties = new int[2];
    qt().withFixedSeed(16L).withExamples(500).forAll(STATES, STATES).checkAssert((a, b) -> {
      if (a.ringVersion() > 0 && a.ringVersion() == b.ringVersion()
          && !a.ringOwners().equals(b.ringOwners())) {
        ties[0]++;
      }
      for (Member m : a.members().values()) {
        Member o = b.members().get(m.id());
        if (o != null && o.incarnation() == m.incarnation() && !o.equals(m)) {
          ties[1]++;
        }
      }
    });
    assertThat(ties[0]).as("ring ties").isGreaterThan(20);
    int[] pendingTies = new int[1];
    qt().withFixedSeed(17L).withExamples(500).forAll(STATES, STATES).checkAssert((a, b) -> {
      if (a.pendingVersion() > 0 && a.pendingVersion() == b.pendingVersion()
          && !a.pendingOwners().equals(b.pendingOwners())) {
        pendingTies[0]++;
      }
    });
    assertThat(pendingTies[0]).as("pending ring ties").isGreaterThan(10);
    assertThat(ties[1]).as("member ties").isGreaterThan(100);
  }

  static ClusterState state(RandomnessSource in) {
    Map<NodeId, Member> members = new HashMap<>();
    for (NodeId id : POOL) {
      if (in.next(Constraint.between(0, 2)) > 0) {
        members.put(id, member(in, id));
      }
    }
    List<NodeId> ids = new ArrayList<>(members.keySet());
    ids.sort(null);
    List<NodeId> owners = new ArrayList<>();
    long ringVersion = 0;
    if (!ids.isEmpty() && in.next(Constraint.between(0, 3)) > 0) {
      for (int p = 0; p < 4; p++) {
        owners.add(ids.get((int) in.next(Constraint.between(0, ids.size() - 1))));
      }
      ringVersion = in.next(Constraint.between(1, 2));
    }
    List<NodeId> pending = new ArrayList<>();
    long pendingVersion = 0;
    if (ringVersion > 0 && in.next(Constraint.between(0, 2)) > 0) {
      for (int p = 0; p < 4; p++) {
        pending.add(ids.get((int) in.next(Constraint.between(0, ids.size() - 1))));
      }
      pendingVersion = ringVersion + in.next(Constraint.between(1, 2));
    }
    return new ClusterState(in.next(Constraint.between(0, 5)), members, owners, ringVersion,
        pending, pendingVersion);
  }

  static Member member(RandomnessSource in, NodeId id) {
    return new Member(id, in.next(Constraint.between(0, 1)) == 0 ? "h1" : "h2",
        7000 + (int) in.next(Constraint.between(0, 1)), 8098, 0,
        in.next(Constraint.between(0, 2)),
        Status.values()[(int) in.next(Constraint.between(0, 3))],
        in.next(Constraint.between(0, 3)), in.next(Constraint.between(0, 3)));
  }
}
