package io.ringkv.server.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.ConfigException;
import io.ringkv.api.NodeId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeIdentityTest {
  @TempDir
  Path dir;

  private final NodeId id = NodeId.of("n1");

  @Test
  void anEmptyFolderStartsANewEpochAtZero() {
    NodeIdentity first = NodeIdentity.open(dir, id);
    assertThat(first.actor().node()).isEqualTo(id);
    assertThat(first.dotCounterStart()).isZero();
  }

  @Test
  void aRestartKeepsTheEpochAndStartsAboveEverythingThePreviousLifeCouldIssue() {
    NodeIdentity first = NodeIdentity.open(dir, id);
    NodeIdentity second = NodeIdentity.open(dir, id);
    NodeIdentity third = NodeIdentity.open(dir, id);
    assertThat(second.actor()).isEqualTo(first.actor());
    assertThat(second.dotCounterStart()).isEqualTo(NodeIdentity.LEASE);
    assertThat(third.dotCounterStart()).isEqualTo(2 * NodeIdentity.LEASE);
  }

  @Test
  void aFolderThatLostItsIdentityStartsANewEpoch() throws IOException {
    NodeIdentity first = NodeIdentity.open(dir, id);
    Files.delete(dir.resolve(NodeIdentity.FILE));
    assertThat(NodeIdentity.open(dir, id).actor()).isNotEqualTo(first.actor());
  }

  @Test
  void anotherNodesFolderIsRefused() {
    NodeIdentity.open(dir, id);
    assertThatThrownBy(() -> NodeIdentity.open(dir, NodeId.of("n2")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("belongs to node 'n1'");
  }

  @Test
  void aDamagedFileIsAClearError() throws IOException {
    Files.writeString(dir.resolve(NodeIdentity.FILE), "node.id=n1\nepoch=garbage\n");
    assertThatThrownBy(() -> NodeIdentity.open(dir, id)).hasMessageContaining("damaged");
  }

  @Test
  void ephemeralIdentitiesAreNewActorsEveryTime() {
    assertThat(NodeIdentity.ephemeral(id).actor()).isNotEqualTo(NodeIdentity.ephemeral(id).actor());
  }
}
