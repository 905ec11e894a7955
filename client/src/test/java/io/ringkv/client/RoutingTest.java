package io.ringkv.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ringkv.api.Bytes;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.RingkvException;
import io.ringkv.transport.netty.client.ClientProtocolServer;
import io.ringkv.transport.netty.client.ClientSettings;
import io.ringkv.transport.netty.client.ClientView;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Both routings against three real nodes: where requests go, and what a dead node changes. */
@Timeout(60)
class RoutingTest {
  private final Cluster cluster = new Cluster();

  @AfterEach
  void stop() {
    cluster.close();
  }

  private RingkvClient client(Routing routing, String... seeds) {
    return RingkvClient.builder().seeds(seeds).routing(routing)
        .connectTimeout(Duration.ofSeconds(1)).requestTimeout(Duration.ofSeconds(5)).build();
  }

  @Test
  void partitionAwareSendsEveryRequestStraightToItsCoordinator() {
    try (RingkvClient client = client(Routing.PARTITION_AWARE, cluster.seed(0))) {
      for (int i = 0; i < 60; i++) {
        client.put("b", "k" + i, Bytes.utf8("v" + i));
        assertThat(client.get("b", "k" + i).value()).isEqualTo(Bytes.utf8("v" + i));
      }
      assertThat(cluster.forwards()).as("requests a node forwarded to the coordinator").isZero();
    }
  }

  @Test
  void anyNodeGoesRoundRobinAndTheNodesForwardWhatIsNotTheirs() {
    try (RingkvClient client = client(Routing.ANY_NODE, cluster.seeds())) {
      for (int i = 0; i < 60; i++) {
        client.put("b", "k" + i, Bytes.utf8("v" + i));
        assertThat(client.get("b", "k" + i).value()).isEqualTo(Bytes.utf8("v" + i));
      }
      // A key's coordinator is one node in three: about two requests in three are forwarded.
      assertThat(cluster.forwards()).isBetween(40L, 100L);
    }
  }

  @Test
  void partitionAwareKeepsWorkingWithANodeDeadAndFallsBackDownThePreferenceList() {
    try (RingkvClient client = client(Routing.PARTITION_AWARE, cluster.seeds())) {
      client.put("b", "before", Bytes.utf8("x"));
      cluster.kill(0); // the client still believes n1 up: it learns from the refused connection
      for (int i = 0; i < 30; i++) {
        client.put("b", "k" + i, Bytes.utf8("v" + i));
        assertThat(client.get("b", "k" + i).value()).isEqualTo(Bytes.utf8("v" + i));
      }
      assertThat(client.get("b", "before").value()).isEqualTo(Bytes.utf8("x"));
    }
  }

  @Test
  void anyNodeSkipsADeadSeed() {
    try (RingkvClient client = client(Routing.ANY_NODE, cluster.seeds())) {
      cluster.kill(1);
      for (int i = 0; i < 20; i++) {
        client.put("b", "k" + i, Bytes.utf8("v" + i));
        assertThat(client.get("b", "k" + i).value()).isEqualTo(Bytes.utf8("v" + i));
      }
    }
  }

  @Test
  void aNewerRingVersionOnAnyAnswerMakesThePartitionAwareClientFetchTheRingAgain() {
    try (RingkvClient client = client(Routing.PARTITION_AWARE, cluster.seed(2))) {
      client.put("b", "k", Bytes.utf8("v"));
      assertThat(client.currentRing().version()).isEqualTo(1);
      cluster.ringVersion.set(5);
      // Fetches that answers trigger come at most one a second: keep asking, as clients do.
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
        client.get("b", "k");
        return client.currentRing().version() == 5;
      });
    }
  }

  @Test
  void theRingTellsWhereEveryNodeTakesClientsAndComputesPreferenceListsAsTheNodesDo() {
    try (RingkvClient client = client(Routing.ANY_NODE, cluster.seed(1))) {
      ClientRing ring = client.ring();
      assertThat(ring.version()).isEqualTo(1);
      assertThat(ring.ring()).isEqualTo(cluster.ring);
      assertThat(ring.nodes()).extracting(ClientRing.Node::id).isEqualTo(cluster.ids);
      assertThat(ring.n("scores")).isEqualTo(3);
      assertThat(ring.n("anything")).isEqualTo(3);
      io.ringkv.api.Key key = io.ringkv.api.Key.of("b", "k");
      assertThat(ring.preferenceList(key)).isEqualTo(cluster.ring.preferenceList(key, 3));
    }
  }

  @Test
  void aSeedWithoutARingYetIsPassedOverForTheNext() {
    ClientView noRing = new ClientView() {
      @Override
      public long ringVersion() {
        return 0;
      }

      @Override
      public RingInfo ring() {
        throw new RingkvException(ErrorCode.UNAVAILABLE, "this node has no ring yet");
      }
    };
    try (ClientProtocolServer fresh = ClientProtocolServer.builder(cluster.node(0).store(), noRing)
        .settings(ClientSettings.DEFAULTS.withPort(0)).start();
        RingkvClient client = client(Routing.PARTITION_AWARE,
            "127.0.0.1:" + fresh.address().getPort(), cluster.seed(1))) {
      assertThat(client.ring().version()).isEqualTo(1);
      client.put("b", "k", Bytes.utf8("v"));
      assertThat(cluster.forwards()).isZero();
    }
  }
}
