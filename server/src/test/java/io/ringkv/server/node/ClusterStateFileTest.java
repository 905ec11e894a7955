package io.ringkv.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.NodeId;
import io.ringkv.membership.ClusterState;
import io.ringkv.membership.HostPort;
import io.ringkv.membership.Member;
import io.ringkv.ring.Ring;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stored cluster state: round trip, atomic replacement, and damage ignored, never trusted. */
class ClusterStateFileTest {
  @TempDir
  Path dir;

  private static ClusterState state(long ringVersion) {
    ClusterState s = ClusterState.empty();
    for (int i = 1; i <= 3; i++) {
      s = s.withMember(Member.joining(NodeId.of("n" + i), new HostPort("127.0.0.1", 7000 + i),
          8000 + i, 5));
    }
    return s.withRing(Ring.create(16, List.of(NodeId.of("n1"), NodeId.of("n2"), NodeId.of("n3"))),
        ringVersion);
  }

  @Test
  void aSavedStateComesBackWholeAndTheLatestWins() {
    ClusterStateFile file = new ClusterStateFile(dir.resolve("node"));
    assertThat(file.load()).isEmpty();
    file.save(state(3));
    file.save(state(4));
    ClusterState back = new ClusterStateFile(dir.resolve("node")).load().orElseThrow();
    assertThat(back.ringVersion()).isEqualTo(4);
    assertThat(back.members()).containsOnlyKeys(NodeId.of("n1"), NodeId.of("n2"), NodeId.of("n3"));
    assertThat(back.ring()).contains(state(4).ring().orElseThrow());
    assertThat(dir.resolve("node").resolve(ClusterStateFile.NAME + ".tmp")).doesNotExist();
  }

  @Test
  void aDamagedOrTruncatedFileIsIgnored() throws IOException {
    ClusterStateFile file = new ClusterStateFile(dir);
    file.save(state(2));
    Path stored = dir.resolve(ClusterStateFile.NAME);
    byte[] bytes = Files.readAllBytes(stored);
    bytes[bytes.length / 2] ^= 0x40;
    Files.write(stored, bytes);
    assertThat(file.load()).as("a flipped bit fails the checksum").isEmpty();
    Files.write(stored, new byte[] {1, 2});
    assertThat(file.load()).as("truncated").isEmpty();
    Files.write(stored, new byte[0]);
    assertThat(file.load()).isEmpty();
    file.save(state(5));
    assertThat(file.load().orElseThrow().ringVersion()).isEqualTo(5);
  }
}
