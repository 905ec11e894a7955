package io.ringkv.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import io.ringkv.ring.Ring;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClusterStateCodecTest {
  private static ClusterState sample() {
    NodeId a = NodeId.of("127.0.0.1:7000");
    NodeId b = NodeId.of("127.0.0.1:7001");
    ClusterState s = ClusterState.empty()
        .withMember(new Member(a, "127.0.0.1", 7000, 8098, 8087, 5, Member.Status.UP, 17))
        .withMember(new Member(b, "127.0.0.1", 7001, 8099, 6, Member.Status.LEAVING, 3));
    return s.withRing(Ring.create(16, List.of(a, b)), 4).withVersion(9);
  }

  @Test
  void aPendingRingAndReadyFlagsRoundTrip() {
    NodeId a = NodeId.of("n1");
    NodeId b = NodeId.of("n2");
    ClusterState s = ClusterState.empty()
        .withMember(new Member(a, "h", 7000, 8098, 8087, 5, Member.Status.UP, 17, 6))
        .withMember(new Member(b, "h", 7001, 8099, 8088, 2, Member.Status.JOINING, 3, 0))
        .withRing(Ring.create(16, List.of(a)), 5)
        .withPending(Ring.create(16, List.of(a, b)), 6);
    ClusterState back = ClusterStateCodec.decode(ClusterStateCodec.encode(s));
    assertThat(back).isEqualTo(s);
    assertThat(back.pendingRing().orElseThrow().nodes()).containsExactly(a, b);
    assertThat(back.members().get(a).readyFor()).isEqualTo(6);
  }

  @Test
  void roundTrips() {
    ClusterState s = sample();
    assertThat(ClusterStateCodec.decode(ClusterStateCodec.encode(s))).isEqualTo(s);
    assertThat(ClusterStateCodec.decode(ClusterStateCodec.encode(ClusterState.empty())))
        .isEqualTo(ClusterState.empty());
  }

  /** A state written by a node of the first format (no client ports) still reads. */
  @Test
  void theFirstFormatStillReadsWithoutClientPorts() throws Exception {
    NodeId a = NodeId.of("n1");
    var bytes = new java.io.ByteArrayOutputStream();
    var out = new java.io.DataOutputStream(bytes);
    out.writeByte(1);
    out.writeLong(3);
    out.writeLong(0);
    out.writeInt(1);
    out.writeUTF("n1");
    out.writeUTF("127.0.0.1");
    out.writeShort(7000);
    out.writeShort(8098);
    out.writeLong(2);
    out.writeByte(Member.Status.UP.ordinal());
    out.writeLong(9);
    out.writeInt(0);
    ClusterState s = ClusterStateCodec.decode(bytes.toByteArray());
    assertThat(s.members().get(a)).isEqualTo(new Member(a, "127.0.0.1", 7000, 8098, 0, 2,
        Member.Status.UP, 9));
  }

  @Test
  void garbageIsRefusedWithAClearErrorAndNothingElse() {
    byte[] good = ClusterStateCodec.encode(sample());
    Random random = new Random(3);
    for (int i = 0; i < 2000; i++) {
      byte[] bad = i % 2 == 0 ? Arrays.copyOf(good, random.nextInt(good.length))
          : good.clone();
      if (i % 2 == 1) {
        bad[random.nextInt(bad.length)] ^= (byte) (1 + random.nextInt(255));
      }
      try {
        ClusterStateCodec.decode(bad);
      } catch (RingkvException e) {
        assertThat(e.getMessage()).startsWith("invalid gossip message");
      }
    }
    assertThatThrownBy(() -> ClusterStateCodec.decode(new byte[] {42}))
        .hasMessageContaining("unknown gossip format 42");
  }
}
