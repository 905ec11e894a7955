package io.ringkv.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.NodeId;
import io.ringkv.membership.Member.Status;
import io.ringkv.ring.Ring;
import io.ringkv.ring.Transfer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Several nodes over the in-process transport, with seeded randomness: joins, leaves, concurrent
 * changes and network splits all end with every node holding the same members and one balanced
 * ring that contains exactly the nodes that want to be in it.
 */
class GossipConvergenceTest {
  static final int Q = 64;

  static List<Long> seeds() {
    return IntStream.rangeClosed(1, 12).mapToObj(i -> i * 7919L).collect(Collectors.toList());
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void fiveNodesStartedFromOneSeedConvergeOnOneBalancedRing(long seed) {
    SimCluster c = new SimCluster(seed, Q);
    c.start("n1");
    for (int i = 2; i <= 5; i++) {
      c.run(Duration.ofMillis(137));
      c.start("n" + i, "n1");
    }

    // 3 to 6 rounds after the last start with these seeds
    int rounds = c.roundsToConverge(10);

    Ring ring = c.node("n1").ring();
    assertThat(ring.nodes()).extracting(NodeId::value)
        .containsExactly("n1", "n2", "n3", "n4", "n5");
    SimCluster.assertBalanced(ring);
    for (Membership m : c.live()) {
      assertThat(m.ring()).isEqualTo(ring);
      assertThat(m.current().members().values()).extracting(Member::status)
          .containsOnly(Status.UP);
      assertThat(c.live()).allSatisfy(other -> assertThat(m.isUp(other.self())).isTrue());
    }
    assertThat(rounds).as("rounds to converge").isLessThanOrEqualTo(10);
    // and it stays converged: heartbeats alone change nothing
    long version = c.node("n3").current().version();
    c.rounds(10);
    assertThat(SimCluster.agree(c.live())).isTrue();
    assertThat(c.node("n3").current().version()).isEqualTo(version);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void concurrentJoinsThroughOneSeedConvergeToOneRingWithBoth(long seed) {
    SimCluster c = new SimCluster(seed, Q);
    c.start("n1");
    c.rounds(1);
    // Both start at the same instant and both contact n1 in their first round.
    c.start("n2", "n1");
    c.start("n3", "n1");
    c.rounds(1);

    c.roundsToConverge(20);

    Ring ring = c.node("n1").ring();
    assertThat(ring.nodes()).extracting(NodeId::value).containsExactly("n1", "n2", "n3");
    SimCluster.assertBalanced(ring);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void nodesThatListEachOtherAsSeedsAndStartTogetherFormOneRing(long seed) {
    SimCluster c = new SimCluster(seed, Q);
    c.start("n1", "n1", "n2", "n3");
    c.start("n2", "n1", "n2", "n3");
    c.start("n3", "n1", "n2", "n3");

    c.roundsToConverge(20);

    Ring ring = c.node("n2").ring();
    assertThat(ring.nodes()).extracting(NodeId::value).containsExactly("n1", "n2", "n3");
    SimCluster.assertBalanced(ring);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void aLeaveTakesTheNodeOutOfTheRingOnEveryNode(long seed) {
    SimCluster c = fiveNodes(seed);
    Ring before = c.node("n4").ring();

    Map<Integer, Transfer> transfers = c.node("n4").leave();

    assertThat(transfers).hasSize(before.ownershipCounts().get(NodeId.of("n4")));
    assertThat(transfers.values()).extracting(Transfer::from).containsOnly(NodeId.of("n4"));
    assertThat(c.node("n4").current().members().get(NodeId.of("n4")).status())
        .isEqualTo(Status.LEAVING);
    c.roundsToConverge(20);
    Ring after = c.node("n1").ring();
    assertThat(after.nodes()).extracting(NodeId::value).containsExactly("n1", "n2", "n3", "n5");
    assertThat(before.transfersTo(after)).isEqualTo(transfers);
    SimCluster.assertBalanced(after);

    c.node("n4").completeLeave();
    c.roundsToConverge(20);
    for (Membership m : c.live()) {
      assertThat(m.current().members().get(NodeId.of("n4")).status()).isEqualTo(Status.LEFT);
      assertThat(m.ring()).isEqualTo(after);
    }
    c.stop("n4");
    c.rounds(30);
    // nobody gossips with a LEFT node, and the ring never changes again
    int exchanges = c.exchanges();
    c.rounds(5);
    assertThat(c.exchanges() - exchanges).isLessThanOrEqualTo(5 * 4 * 2);
    assertThat(c.live()).allSatisfy(m -> assertThat(m.ring()).isEqualTo(after));
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void concurrentLeaveAndJoinBothTakeEffect(long seed) {
    SimCluster c = fiveNodes(seed);
    c.start("n6", "n3");
    c.node("n2").leave();

    c.roundsToConverge(30);

    Ring ring = c.node("n1").ring();
    assertThat(ring.nodes()).extracting(NodeId::value)
        .containsExactly("n1", "n3", "n4", "n5", "n6");
    SimCluster.assertBalanced(ring);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void aSplitClusterWithChangesOnBothSidesConvergesWhenHealed(long seed) {
    SimCluster c = fiveNodes(seed);
    c.split("n1", "n2");
    c.rounds(20);
    // Each side now sees the other side down; the ring has not moved.
    assertThat(c.node("n1").isUp(NodeId.of("n4"))).isFalse();
    assertThat(c.node("n4").isUp(NodeId.of("n1"))).isFalse();
    assertThat(c.node("n4").ring()).isEqualTo(c.node("n1").ring());
    // A leave on one side, a join on the other.
    Ring split = c.node("n1").ring();
    c.node("n2").leave();
    c.start("n6", "n3");
    c.rounds(10);
    // A ring change waits until every node of the new ring is ready: none can switch while the
    // other side cannot see it.
    assertThat(c.node("n1").ring()).isEqualTo(split);
    assertThat(c.node("n5").ring()).isEqualTo(split);
    assertThat(c.node("n1").current().pendingRing()).isPresent();

    c.heal();
    c.roundsToConverge(40);

    Ring ring = c.node("n1").ring();
    assertThat(ring.nodes()).extracting(NodeId::value)
        .containsExactly("n1", "n3", "n4", "n5", "n6");
    SimCluster.assertBalanced(ring);
    c.rounds(10);
    for (Membership m : c.live()) {
      assertThat(c.live()).allSatisfy(other -> assertThat(m.isUp(other.self())).isTrue());
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void aSplitHealsEvenWhenTheOnlySeedIsGoneBecauseDownPeersAreStillProbed(long seed) {
    SimCluster c = fiveNodes(seed);
    c.stop("n1");
    c.split("n2", "n3");
    c.rounds(20);
    assertThat(c.node("n2").isUp(NodeId.of("n4"))).isFalse();
    c.node("n3").leave();
    c.rounds(10);

    c.heal();
    c.roundsToConverge(30);
    c.rounds(10);

    for (Membership m : c.live()) {
      assertThat(c.live()).allSatisfy(other -> assertThat(m.isUp(other.self())).isTrue());
      assertThat(m.isUp(NodeId.of("n1"))).isFalse();
      // The leave waits for n1, a node of the new ring that is down, until it is removed.
      assertThat(m.current().pendingRing().orElseThrow().contains(NodeId.of("n3"))).isFalse();
      assertThat(m.ring().contains(NodeId.of("n3"))).isTrue();
    }
    c.node("n2").remove(NodeId.of("n1"));
    c.roundsToConverge(30);
    c.rounds(10);
    for (Membership m : c.live()) {
      assertThat(m.ring().nodes()).extracting(NodeId::value).containsExactly("n2", "n4", "n5");
      assertThat(m.current().pendingRing()).isEmpty();
      assertThat(m.current().members().get(NodeId.of("n1")).status()).isEqualTo(Status.LEFT);
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void anAdminJoinBringsAStandaloneNodeIntoTheCluster(long seed) {
    SimCluster c = fiveNodes(seed);
    Membership lone = c.start("n9");
    assertThat(lone.ring().nodes()).containsExactly(NodeId.of("n9"));

    ClusterState afterJoin = lone.join(SimCluster.address("n2")).join();

    assertThat(afterJoin.pendingRing().orElseThrow().nodes()).hasSize(6)
        .contains(NodeId.of("n9"));
    c.roundsToConverge(20);
    Ring ring = c.node("n1").ring();
    assertThat(ring.nodes()).hasSize(6).contains(NodeId.of("n9"));
    SimCluster.assertBalanced(ring);
  }

  static SimCluster fiveNodes(long seed) {
    SimCluster c = new SimCluster(seed, Q);
    c.start("n1");
    for (int i = 2; i <= 5; i++) {
      c.run(Duration.ofMillis(211));
      c.start("n" + i, "n1");
    }
    c.roundsToConverge(20);
    c.rounds(5);
    assertThat(c.live()).allSatisfy(m -> assertThat(m.ring().nodes()).hasSize(5));
    return c;
  }

  static Set<String> names(Ring ring) {
    return ring.nodes().stream().map(NodeId::value).collect(Collectors.toSet());
  }
}
