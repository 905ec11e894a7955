package io.ringkv.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.NodeId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped failure detection: gossip every 200 ms, a 400 ms acceptable pause
 * ({@link PhiAccrualFailureDetector#forGossip}), so a silent peer is down for everyone within 2 s;
 * a peer that refused a connection is down at once ({@link Membership#suspect}) until gossip
 * brings news of it again; and a node built from a stored state long before it starts does not
 * call its peers down at its first round.
 */
class FastFailureDetectionTest {
  private static final NodeId N3 = NodeId.of("n3");
  private static final Duration INTERVAL = Duration.ofMillis(200);

  static List<Long> seeds() {
    return GossipConvergenceTest.seeds();
  }

  private static SimCluster threeNodes(long seed) {
    SimCluster c = new SimCluster(seed, 16, INTERVAL,
        () -> PhiAccrualFailureDetector.forGossip(8, INTERVAL, Duration.ofMillis(400)));
    c.start("n1");
    c.start("n2", "n1");
    c.start("n3", "n1");
    c.rounds(40);
    return c;
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void aSilentPeerIsDownForEveryoneWithinTwoSeconds(long seed) {
    SimCluster c = threeNodes(seed);
    List<Membership> others = List.of(c.node("n1"), c.node("n2"));
    assertThat(others).allSatisfy(m -> assertThat(m.isUp(N3)).isTrue());
    c.silence("n3");
    long after = millisUntil(c, others, m -> !m.isUp(N3), 5_000);
    assertThat(after).as("ms until n1 and n2 see n3 down").isLessThan(2_000);
    c.restore("n3");
    assertThat(millisUntil(c, others, m -> m.isUp(N3), 5_000)).isLessThan(2_000);
  }

  @Test
  void aPeerThatRefusedIsDownAtOnceUntilItsNextHeartbeat() {
    SimCluster c = threeNodes(1);
    Membership n1 = c.node("n1");
    List<String> told = new ArrayList<>();
    n1.addLivenessListener((node, up) -> told.add(node + "=" + (up ? "up" : "down")));

    n1.suspect(N3);

    assertThat(n1.isUp(N3)).isFalse();
    assertThat(told).containsExactly("n3=down");
    assertThat(c.node("n2").isUp(N3)).as("only the node that was refused").isTrue();
    c.rounds(8); // n3 keeps gossiping: news newer than the refusal reaches n1
    assertThat(n1.isUp(N3)).isTrue();
    assertThat(told).containsExactly("n3=down", "n3=up");
  }

  @Test
  void aRefusedPeerThatStaysSilentStaysDown() {
    SimCluster c = threeNodes(2);
    c.silence("n3");
    c.node("n1").suspect(N3);
    c.rounds(2);
    assertThat(c.node("n1").isUp(N3)).isFalse();
    c.rounds(20);
    assertThat(c.node("n1").isUp(N3)).isFalse();
    c.node("n1").suspect(NodeId.of("n1")); // itself: never
    assertThat(c.node("n1").isUp(NodeId.of("n1"))).isTrue();
  }

  @Test
  void aNodeStartedLongAfterItWasBuiltFromItsStoredStateGivesItsPeersAFreshStart() {
    SimCluster c = threeNodes(3);
    ClusterState stored = c.node("n2").current();
    c.stop("n2");
    // Built from the stored state, then (as a real node opening its storage) started 5 s later.
    Membership restarted = c.build("n2", stored, 2, "n1");
    c.silence("n2"); // not listening yet: it hears nothing while it opens its storage
    c.run(Duration.ofSeconds(5));
    restarted.start();
    assertThat(restarted.isUp(NodeId.of("n1"))).as("before any gossip round").isTrue();
    assertThat(restarted.isUp(N3)).isTrue();
    c.restore("n2");
    c.run(INTERVAL.multipliedBy(2));
    assertThat(restarted.isUp(NodeId.of("n1"))).isTrue();
    assertThat(restarted.isUp(N3)).isTrue();
    assertThat(restarted.ring()).as("it serves from the stored ring").isEqualTo(c.node("n1").ring());
  }

  private static long millisUntil(SimCluster c, List<Membership> nodes, Predicate<Membership> p,
      long maxMillis) {
    long start = c.ticker.now();
    while (c.ticker.now() - start <= maxMillis) {
      if (nodes.stream().allMatch(p)) {
        return c.ticker.now() - start;
      }
      c.run(Duration.ofMillis(50));
    }
    throw new AssertionError("not within " + maxMillis + " ms");
  }
}
