package io.ringkv.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import io.ringkv.membership.Member.Status;
import io.ringkv.ring.Ring;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterStateTest {
  private static final NodeId A = NodeId.of("a");
  private static final NodeId B = NodeId.of("b");
  private static final Member MA = member(A, 1, Status.UP, 5);
  private static final Member MB = member(B, 1, Status.UP, 5);

  static Member member(NodeId id, long incarnation, Status status, long heartbeat) {
    return new Member(id, "h-" + id, 7000, 8098, incarnation, status, heartbeat);
  }

  @Test
  void perMemberTheHigherIncarnationWinsThenTheLaterStatusThenTheHigherHeartbeat() {
    ClusterState x = ClusterState.empty().withMember(MA);
    Member restarted = member(A, 2, Status.JOINING, 0);
    Member leaving = member(A, 1, Status.LEAVING, 1);
    Member beating = member(A, 1, Status.UP, 9);

    assertThat(x.merge(ClusterState.empty().withMember(restarted)).members().get(A))
        .isEqualTo(restarted);
    assertThat(x.merge(ClusterState.empty().withMember(leaving)).members().get(A))
        .isEqualTo(leaving);
    assertThat(x.merge(ClusterState.empty().withMember(beating)).members().get(A))
        .isEqualTo(beating);
  }

  @Test
  void theRingWithTheHigherVersionWinsAndTiesGoToTheGreaterOwnerList() {
    ClusterState base = ClusterState.empty().withMember(MA).withMember(MB);
    ClusterState onlyA = base.withRing(Ring.create(4, List.of(A)), 2);
    ClusterState onlyB = base.withRing(Ring.create(4, List.of(B)), 2);
    ClusterState both = base.withRing(Ring.create(4, List.of(A, B)), 3);

    assertThat(onlyA.merge(both).ringOwners()).isEqualTo(both.ringOwners());
    assertThat(both.merge(onlyB).ringVersion()).isEqualTo(3);
    assertThat(onlyA.merge(onlyB).ringOwners()).containsOnly(B);
    assertThat(onlyB.merge(onlyA).ringOwners()).containsOnly(B);
    assertThat(base.merge(onlyA).ring()).contains(Ring.create(4, List.of(A)));
  }

  @Test
  void mergeKeepsEveryMemberAndTheLargerVersion() {
    ClusterState x = new ClusterState(7, Map.of(A, MA), List.of(), 0);
    ClusterState y = new ClusterState(3, Map.of(B, MB), List.of(), 0);
    ClusterState m = x.merge(y);
    assertThat(m.members()).containsOnlyKeys(A, B);
    assertThat(m.version()).isEqualTo(7);
    assertThat(List.copyOf(m.members().keySet())).containsExactly(A, B);
  }

  @Test
  void sameExceptHeartbeatsIgnoresHeartbeatsAndVersionOnly() {
    ClusterState x = ClusterState.empty().withMember(MA);
    assertThat(x.sameExceptHeartbeats(x.withMember(MA.withHeartbeat(99)).withVersion(4))).isTrue();
    assertThat(x.sameExceptHeartbeats(x.withMember(MA.withStatus(Status.LEAVING)))).isFalse();
    assertThat(x.sameExceptHeartbeats(x.withMember(MB))).isFalse();
    assertThat(x.sameExceptHeartbeats(x.withRing(Ring.create(2, List.of(A)), 1))).isFalse();
  }

  @Test
  void invalidStatesAreRefusedWithTheRule() {
    assertThatThrownBy(() -> new ClusterState(0, Map.of(A, MB), List.of(), 0))
        .isInstanceOf(RingkvException.class)
        .hasMessageContaining("the member under key a has id b");
    assertThatThrownBy(() -> new ClusterState(0, Map.of(A, MA), List.of(A, A), 0))
        .hasMessageContaining("ring version 0 with 2 owners");
    assertThatThrownBy(() -> new ClusterState(0, Map.of(A, MA), List.of(), 1))
        .hasMessageContaining("ring version 1 with 0 owners");
    assertThatThrownBy(() -> new ClusterState(0, Map.of(A, MA), List.of(A, A, A), 1))
        .hasMessageContaining("a ring of 3 partitions is invalid");
    assertThatThrownBy(() -> new ClusterState(0, Map.of(A, MA), List.of(A, B), 1))
        .hasMessageContaining("ring owner b is not a member");
    assertThatThrownBy(() -> new ClusterState(-1, Map.of(), List.of(), 0))
        .hasMessageContaining("version -1 is negative");
  }

  @Test
  void theStateIsImmutable() {
    java.util.HashMap<NodeId, Member> source = new java.util.HashMap<>(Map.of(A, MA));
    ClusterState s = new ClusterState(0, source, List.of(), 0);
    source.put(B, MB);
    assertThat(s.members()).containsOnlyKeys(A);
    assertThatThrownBy(() -> s.members().put(B, MB))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
