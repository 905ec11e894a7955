package io.ringkv.membership;

import io.ringkv.testkit.ManualScheduler;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import io.ringkv.membership.Member.Status;
import io.ringkv.ring.Ring;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** One node's behaviour: start, the lifecycle rules, and what it refuses. */
class MembershipTest {
  private static final NodeId N1 = NodeId.of("n1");

  @Test
  void aNodeWithoutSeedsStartsARingOfItself() {
    SimCluster c = new SimCluster(1, 16);
    Membership n1 = c.start("n1");

    assertThat(n1.ring()).isEqualTo(Ring.create(16, List.of(N1)));
    ClusterState s = n1.current();
    assertThat(s.ringVersion()).isEqualTo(1);
    assertThat(s.members().get(N1).status()).isEqualTo(Status.UP);
    assertThat(n1.isUp(N1)).isTrue();
    assertThat(n1.isUp(NodeId.of("stranger"))).isFalse();
    assertThat(c.ticker.activeTasks()).isEqualTo(1);
  }

  @Test
  void itsOwnHeartbeatGrowsEveryIntervalWithoutCountingAsAChange() {
    SimCluster c = new SimCluster(1, 16);
    Membership n1 = c.start("n1");
    List<ClusterState> seen = new ArrayList<>();
    n1.addListener(seen::add);
    long version = n1.current().version();

    c.rounds(5);

    assertThat(n1.current().members().get(N1).heartbeat()).isEqualTo(5);
    assertThat(n1.current().version()).isEqualTo(version);
    assertThat(seen).isEmpty();
  }

  @Test
  void listenersSeeEveryMembershipChangeInOrderAndAFailingListenerDoesNotStopGossip() {
    SimCluster c = new SimCluster(3, 16);
    Membership n1 = c.start("n1");
    List<ClusterState> seen = new ArrayList<>();
    n1.addListener(s -> {
      throw new IllegalStateException("a broken listener");
    });
    n1.addListener(seen::add);

    c.start("n2", "n1");
    c.roundsToConverge(10);

    assertThat(seen).isNotEmpty();
    assertThat(seen).extracting(ClusterState::version).isSorted().doesNotHaveDuplicates();
    assertThat(seen.get(seen.size() - 1).sameExceptHeartbeats(n1.current())).isTrue();
    assertThat(seen.get(seen.size() - 1).version()).isEqualTo(n1.current().version());
    assertThat(seen.get(seen.size() - 1).ring().orElseThrow().nodes()).hasSize(2);
  }

  @Test
  void aNodeWhoseSeedsNeverAnswerWaitsWithoutARing() {
    SimCluster c = new SimCluster(1, 16);
    Membership n2 = c.start("n2", "n1");
    c.rounds(20);

    assertThat(n2.current().ringOwners()).isEmpty();
    assertThat(n2.current().members().get(NodeId.of("n2")).status()).isEqualTo(Status.JOINING);
    assertThatThrownBy(n2::ring).isInstanceOf(RingkvException.class)
        .hasMessageContaining("n2 has no ring yet").hasMessageContaining("10.0.0.1:7000")
        .extracting(e -> ((RingkvException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE);

    c.start("n1");
    c.roundsToConverge(10);
    assertThat(n2.ring().nodes()).containsExactly(N1, NodeId.of("n2"));
  }

  @Test
  void theLastNodeCannotLeaveAndANodeCannotLeaveTwice() {
    SimCluster c = new SimCluster(1, 16);
    Membership n1 = c.start("n1");
    assertThatThrownBy(n1::leave).hasMessageContaining("n1 is the last node of the ring");

    Membership n2 = c.start("n2", "n1");
    c.roundsToConverge(10);
    Map<Integer, ?> transfers = n2.leave();
    assertThat(transfers).hasSize(8);
    assertThatThrownBy(n2::leave).hasMessageContaining("n2 is already LEAVING");
    assertThatThrownBy(n1::completeLeave).hasMessageContaining("n1 is UP, not LEAVING");
  }

  @Test
  void completeLeaveWaitsUntilTheRingNoLongerHoldsTheNode() {
    SimCluster c = new SimCluster(1, 16);
    c.start("n1");
    Membership n2 = c.start("n2", "n1");
    c.roundsToConverge(10);
    n2.leave();
    assertThatThrownBy(n2::completeLeave).hasMessageContaining("n2 still owns partitions");
    c.roundsToConverge(10);
    n2.completeLeave();
    assertThat(n2.current().members().get(NodeId.of("n2")).status()).isEqualTo(Status.LEFT);
    assertThatThrownBy(n2::completeLeave).hasMessageContaining("n2 is LEFT, not LEAVING");
  }

  @Test
  void aRingChangeWaitsUntilEveryNodeOfTheNewRingIsReady() {
    NodeId a = NodeId.of("n1");
    NodeId b = NodeId.of("n2");
    Member ma = new Member(a, "h", 7000, 8098, 8087, 1, Status.UP, 0);
    Member mb = new Member(b, "h", 7001, 8099, 8088, 1, Status.JOINING, 0);
    ClusterState s = ClusterState.empty().withMember(ma).withMember(mb)
        .withRing(io.ringkv.ring.Ring.create(16, List.of(a)), 1);
    LocalView joiner = new LocalView(mb, 16, s, false, false);
    joiner.reconcile();
    assertThat(joiner.state().pendingRing().orElseThrow().nodes()).containsExactly(a, b);
    assertThat(joiner.state().ringVersion()).isEqualTo(1);
    LocalView owner = new LocalView(ma, 16, ClusterState.empty(), true, false);
    owner.merge(joiner.state());
    assertThat(owner.ring().nodes()).as("n2 holds nothing yet").containsExactly(a);

    joiner.markReady(2);
    owner.merge(joiner.state());
    assertThat(owner.ring().nodes()).as("n1 is not ready yet").containsExactly(a);
    owner.markReady(2);
    assertThat(owner.ring().nodes()).containsExactly(a, b);
    assertThat(owner.state().ringVersion()).isEqualTo(2);
    assertThat(owner.state().pendingRing()).isEmpty();
    joiner.merge(owner.state());
    assertThat(joiner.me().status()).isEqualTo(Status.UP);
  }

  @Test
  void joinIsRefusedForANodeAlreadyInACluster() {
    SimCluster c = new SimCluster(1, 16);
    c.start("n1");
    Membership n2 = c.start("n2", "n1");
    c.roundsToConverge(10);

    assertThatThrownBy(() -> n2.join(SimCluster.address("n1")))
        .isInstanceOf(RingkvException.class)
        .hasMessageContaining("n2 is already in a ring of 2 nodes: join is for a standalone node");
  }

  @Test
  void aJoinWhoseSeedDoesNotAnswerLeavesTheNodeStandalone() {
    SimCluster c = new SimCluster(1, 16);
    Membership n1 = c.start("n1");

    CompletableFuture<ClusterState> join = n1.join(SimCluster.address("n7"));

    assertThatThrownBy(join::join).isInstanceOf(CompletionException.class)
        .cause().isInstanceOf(RingkvException.class)
        .hasMessageContaining("seed 10.0.0.7:7000 did not answer")
        .hasMessageContaining("n1 stays standalone");
    assertThat(n1.ring().nodes()).containsExactly(N1);
    assertThat(n1.current().members().get(N1).status()).isEqualTo(Status.UP);
    assertThat(n1.current().members().get(N1).incarnation()).isEqualTo(2);
    c.rounds(3);
    assertThat(n1.ring().nodes()).containsExactly(N1);
  }

  @Test
  void aStateWithAnotherPartitionCountIsRefusedNamingBothCounts() {
    SimCluster c = new SimCluster(1, 16);
    Membership n1 = c.start("n1");
    Member other = SimCluster.member("n2", 1).withStatus(Status.UP);
    ClusterState foreign = ClusterState.empty().withMember(other)
        .withRing(Ring.create(32, List.of(other.id())), 1);

    assertThatThrownBy(() -> n1.onGossip(foreign))
        .isInstanceOf(RingkvException.class)
        .hasMessageContaining("ring of 32 partitions but node n1 is configured with 16");
    assertThat(n1.current().members()).containsOnlyKeys(N1);
  }

  @Test
  void aSeedWithAnotherPartitionCountIsNotJoinedAndDoesNotCountAsAnAnswer() {
    SimCluster big = new SimCluster(1, 32);
    big.start("n1");
    ManualScheduler ticker = new ManualScheduler();
    Membership n2 = Membership.builder()
        .self(SimCluster.member("n2", 1))
        .seeds(List.of(SimCluster.address("n1")))
        .transport((peer, mine) -> CompletableFuture.completedFuture(big.node("n1").current()))
        .clock(ticker.clock()).scheduler(ticker).partitions(16).random(new Random(1)).build();
    n2.start();
    ticker.advance(SimCluster.ROUND.multipliedBy(5));

    assertThat(n2.current().ringOwners()).isEmpty();
    assertThat(n2.current().members()).containsOnlyKeys(NodeId.of("n2"));
  }

  @Test
  void gossipAboutThisNodeNeverOverridesItsOwnEntry() {
    SimCluster c = new SimCluster(1, 16);
    Membership n1 = c.start("n1");
    Member impostor = n1.current().members().get(N1).withIncarnation(9).withStatus(Status.LEFT);

    ClusterState answer = n1.onGossip(ClusterState.empty().withMember(impostor));

    Member mine = answer.members().get(N1);
    assertThat(mine.incarnation()).isEqualTo(10);
    assertThat(mine.status()).isEqualTo(Status.UP);
    assertThat(mine.merge(impostor)).isEqualTo(mine);
  }

  @Test
  void aSavedStateWhoseRingHoldsTheNodeIsKeptAndTheIncarnationGrows() {
    SimCluster first = new SimCluster(1, 16);
    first.start("n1");
    first.start("n2", "n1");
    first.roundsToConverge(10);
    ClusterState saved = first.node("n2").current();

    SimCluster second = new SimCluster(2, 16);
    Membership n2 = second.start("n2", saved, 1, "n1");

    assertThat(n2.ring()).isEqualTo(saved.ring().orElseThrow());
    assertThat(n2.current().ringVersion()).isEqualTo(saved.ringVersion());
    assertThat(n2.current().members().get(NodeId.of("n2")).incarnation()).isEqualTo(2);
    assertThat(n2.current().members().get(NodeId.of("n2")).status()).isEqualTo(Status.UP);
  }

  @Test
  void startTwiceAndCloseStopTheGossipTask() {
    SimCluster c = new SimCluster(1, 16);
    Membership n1 = c.start("n1");
    assertThatThrownBy(n1::start).hasMessageContaining("already started");
    n1.close();
    assertThat(c.ticker.activeTasks()).isZero();
    long heartbeat = n1.current().members().get(N1).heartbeat();
    c.rounds(3);
    assertThat(n1.current().members().get(N1).heartbeat()).isEqualTo(heartbeat);
    assertThatThrownBy(n1::start).hasMessageContaining("already closed");
  }

  @Test
  void aTransportThatThrowsCountsAsAFailedExchange() {
    ManualScheduler ticker = new ManualScheduler();
    Membership n2 = Membership.builder()
        .self(SimCluster.member("n2", 1))
        .seeds(List.of(SimCluster.address("n1")))
        .transport((peer, mine) -> {
          throw new IllegalStateException("connection refused");
        })
        .clock(ticker.clock()).scheduler(ticker).partitions(16).random(new Random(1)).build();
    n2.start();
    ticker.advance(SimCluster.ROUND.multipliedBy(3));
    assertThat(n2.current().ringOwners()).isEmpty();
    assertThat(n2.current().members().get(NodeId.of("n2")).heartbeat()).isEqualTo(3);
  }

  @Test
  void theBuilderNamesEveryMissingOrInvalidSetting() {
    assertThatThrownBy(() -> Membership.builder().partitions(12).build())
        .isInstanceOf(RingkvException.class)
        .hasMessageContaining("self is not set")
        .hasMessageContaining("transport is not set")
        .hasMessageContaining("scheduler is not set")
        .hasMessageContaining("partitions 12 is invalid: a power of two");
    assertThatThrownBy(() -> Membership.builder().gossipInterval(java.time.Duration.ZERO).build())
        .hasMessageContaining("gossip interval PT0S is invalid: it must be positive");
  }

  @Test
  void ownAddressAmongTheSeedsIsIgnored() {
    SimCluster c = new SimCluster(1, 16);
    Membership n1 = c.start("n1", "n1");
    assertThat(n1.ring().nodes()).containsExactly(N1);
  }
}
