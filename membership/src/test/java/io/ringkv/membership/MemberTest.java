package io.ringkv.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import io.ringkv.membership.Member.Status;
import org.junit.jupiter.api.Test;

class MemberTest {
  private static final NodeId A = NodeId.of("a");

  @Test
  void aJoiningEntryStartsAtHeartbeatZero() {
    Member m = Member.joining(A, HostPort.parse("10.0.0.1:7000"), 8098, 42);
    assertThat(m).isEqualTo(new Member(A, "10.0.0.1", 7000, 8098, 42, Status.JOINING, 0));
    assertThat(m.address()).isEqualTo(new HostPort("10.0.0.1", 7000));
  }

  @Test
  void statusOrderIsTheLifecycle() {
    assertThat(Status.values())
        .containsExactly(Status.JOINING, Status.UP, Status.LEAVING, Status.LEFT);
    Member joining = Member.joining(A, new HostPort("h", 1), 2, 1).withHeartbeat(50);
    assertThat(joining.merge(joining.withStatus(Status.UP).withHeartbeat(0)).status())
        .isEqualTo(Status.UP);
    assertThat(joining.withIncarnation(2).merge(joining.withStatus(Status.LEFT)).incarnation())
        .isEqualTo(2);
  }

  @Test
  void entriesOfDifferentNodesDoNotMerge() {
    Member a = Member.joining(A, new HostPort("h", 1), 2, 1);
    Member b = Member.joining(NodeId.of("b"), new HostPort("h", 1), 2, 1);
    assertThatThrownBy(() -> a.merge(b)).isInstanceOf(RingkvException.class)
        .hasMessageContaining("cannot merge the entry of a with the entry of b");
  }

  @Test
  void invalidEntriesAreRefusedNamingTheValue() {
    assertThatThrownBy(() -> new Member(A, " ", 1, 2, 0, Status.UP, 0))
        .hasMessageContaining("member a: host ' ' is invalid");
    assertThatThrownBy(() -> new Member(A, "h", 0, 2, 0, Status.UP, 0))
        .hasMessageContaining("member a: port 0 is out of range");
    assertThatThrownBy(() -> new Member(A, "h", 1, 70000, 0, Status.UP, 0))
        .hasMessageContaining("member a: http port 70000 is out of range");
    assertThatThrownBy(() -> new Member(A, "h", 1, 2, -1, Status.UP, 0))
        .hasMessageContaining("incarnation -1 is negative");
    assertThatThrownBy(() -> new Member(A, "h", 1, 2, 0, Status.UP, -3))
        .hasMessageContaining("heartbeat -3 is negative");
    assertThatThrownBy(() -> new Member(A, "h", 1, 2, 0, null, 0))
        .isInstanceOf(NullPointerException.class).hasMessage("status");
  }
}
