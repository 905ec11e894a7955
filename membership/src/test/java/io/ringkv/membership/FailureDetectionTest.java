package io.ringkv.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.NodeId;
import io.ringkv.membership.Member.Status;
import io.ringkv.ring.Ring;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Up/down over gossiped heartbeats, with the default detector (threshold 8, 3 s acceptable
 * pause) and a 1 s gossip interval: a silent node is marked down by every other node within
 * seconds, up again soon after it speaks, and its partitions never move.
 */
class FailureDetectionTest {
  private static final NodeId N3 = NodeId.of("n3");

  static List<Long> seeds() {
    return GossipConvergenceTest.seeds();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void aSilentNodeIsMarkedDownThenUpAndItsPartitionsStay(long seed) {
    SimCluster c = GossipConvergenceTest.fiveNodes(seed);
    c.rounds(20);
    Ring ring = c.node("n1").ring();
    long ringVersion = c.node("n1").current().ringVersion();
    List<Membership> others = List.of(c.node("n1"), c.node("n2"), c.node("n4"), c.node("n5"));
    assertThat(others).allSatisfy(m -> assertThat(m.isUp(N3)).isTrue());

    c.silence("n3");
    long downAfter = millisUntil(c, others, m -> !m.isUp(N3), 15_000);

    assertThat(downAfter).as("ms until all see n3 down").isBetween(3_000L, 12_000L);
    assertThat(c.node("n3").isUp(N3)).isTrue();
    c.rounds(30);
    assertThat(others).allSatisfy(m -> {
      assertThat(m.isUp(N3)).isFalse();
      assertThat(m.ring()).isEqualTo(ring);
      assertThat(m.current().ringVersion()).isEqualTo(ringVersion);
      assertThat(m.current().members().get(N3).status()).isEqualTo(Status.UP);
    });
    // n3 itself, cut off, sees everyone else down but keeps the same ring.
    assertThat(others).allSatisfy(m -> assertThat(c.node("n3").isUp(m.self())).isFalse());
    assertThat(c.node("n3").ring()).isEqualTo(ring);

    c.restore("n3");
    long upAfter = millisUntil(c, others, m -> m.isUp(N3), 10_000);

    assertThat(upAfter).as("ms until all see n3 up again").isLessThanOrEqualTo(6_000L);
    c.rounds(10);
    assertThat(c.live()).allSatisfy(m -> {
      assertThat(c.live()).allSatisfy(o -> assertThat(m.isUp(o.self())).isTrue());
      assertThat(m.ring()).isEqualTo(ring);
      assertThat(m.current().ringVersion()).isEqualTo(ringVersion);
    });
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void aRestartedNodeComesBackUpWithANewIncarnationAndKeepsItsPartitions(long seed) {
    SimCluster c = GossipConvergenceTest.fiveNodes(seed);
    Ring ring = c.node("n1").ring();
    long ringVersion = c.node("n1").current().ringVersion();
    c.stop("n3");
    c.rounds(15);
    assertThat(c.node("n1").isUp(N3)).isFalse();

    // Restarted without any saved state: it learns the ring from its seed and is already in it.
    Membership restarted = c.start("n3", ClusterState.empty(), 2, "n1");
    c.roundsToConverge(20);
    c.rounds(10);

    assertThat(c.live()).allSatisfy(m -> {
      assertThat(m.isUp(N3)).isTrue();
      assertThat(m.ring()).isEqualTo(ring);
      assertThat(m.current().ringVersion()).isEqualTo(ringVersion);
      assertThat(m.current().members().get(N3).incarnation()).isEqualTo(2);
      assertThat(m.current().members().get(N3).status()).isEqualTo(Status.UP);
    });
    assertThat(restarted.current().members().get(N3).heartbeat()).isPositive();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void aNodeRestartedWithTheSameIncarnationTakesAHigherOneInsteadOfLosingItsEntry(long seed) {
    SimCluster c = GossipConvergenceTest.fiveNodes(seed);
    c.rounds(10);
    c.stop("n3");
    c.rounds(2);

    Membership restarted = c.start("n3", ClusterState.empty(), 1, "n1");
    c.roundsToConverge(20);
    c.rounds(10);

    assertThat(restarted.current().members().get(N3).incarnation()).isEqualTo(2);
    assertThat(c.live()).allSatisfy(m -> {
      assertThat(m.isUp(N3)).isTrue();
      assertThat(m.current().members().get(N3).incarnation()).isEqualTo(2);
    });
  }

  private static long millisUntil(SimCluster c, List<Membership> nodes,
      Predicate<Membership> condition, long maxMillis) {
    for (long t = 0; t <= maxMillis; t += 100) {
      if (nodes.stream().allMatch(condition)) {
        return t;
      }
      c.run(Duration.ofMillis(100));
    }
    throw new AssertionError("condition not met within " + maxMillis + " ms");
  }
}
