package io.ringkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.Bytes;
import io.ringkv.api.GetResult;
import io.ringkv.client.RingkvClient;
import io.ringkv.client.Routing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The Java client against three nodes of the unpacked distribution, over their client ports:
 * both routings, the forward counter on {@code /metrics}, a node killed under the client, and
 * the command line over the binary protocol and over HTTP.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClientIT {
  private static LocalCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = new LocalCluster("client", 3, Map.of()).start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String[] seeds() {
    List<String> s = new ArrayList<>();
    for (int i = 0; i < cluster.size; i++) {
      s.add(cluster.host(i) + ":" + cluster.clientPorts[i]);
    }
    return s.toArray(String[]::new);
  }

  private static RingkvClient client(Routing routing, String... seeds) {
    return RingkvClient.builder().seeds(seeds).routing(routing)
        .connectTimeout(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(10)).build();
  }

  /** {@code ringkv_requests_forwarded_total} summed over the nodes; fails if a node lacks it. */
  private static long forwarded() throws Exception {
    long sum = 0;
    for (int i = 0; i < cluster.size; i++) {
      int node = i + 1;
      String metrics = Http.get(cluster.http(i) + "/metrics").body();
      String line = metrics.lines().filter(l -> l.startsWith("ringkv_requests_forwarded_total"))
          .findFirst().orElseThrow(() -> new AssertionError("no ringkv_requests_forwarded_total"
              + " on /metrics of n" + node));
      sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
    return sum;
  }

  @Test
  @Order(1)
  void partitionAwareRequestsReachTheirCoordinatorWithoutAForward() throws Exception {
    long before = forwarded();
    try (RingkvClient client = client(Routing.PARTITION_AWARE, seeds()[0])) {
      for (int i = 0; i < 100; i++) {
        client.put("pa", "k" + i, Bytes.utf8("v" + i));
        assertThat(client.get("pa", "k" + i).value()).isEqualTo(Bytes.utf8("v" + i));
      }
    }
    assertThat(forwarded() - before).as("requests a node forwarded").isZero();
  }

  @Test
  @Order(2)
  void anyNodeRequestsGoRoundRobinAndTheNodesForwardThem() throws Exception {
    long before = forwarded();
    try (RingkvClient client = client(Routing.ANY_NODE, seeds())) {
      for (int i = 0; i < 60; i++) {
        client.put("any", "k" + i, Bytes.utf8("v" + i));
        assertThat(client.get("any", "k" + i).value()).isEqualTo(Bytes.utf8("v" + i));
      }
    }
    assertThat(forwarded() - before).as("requests a node forwarded").isPositive();
  }

  @Test
  @Order(3)
  void theCommandLineSpeaksTheBinaryProtocolByDefaultAndHttpWithTheFlag() throws Exception {
    String binary = cluster.host(1) + ":" + cluster.clientPorts[1];
    Cli put = Cli.run(cluster.home, "put", "cli-bin", "k", "over binary", "--node", binary);
    assertThat(put.exit).as(put.output).isZero();
    Cli get = Cli.run(cluster.home, "get", "cli-bin", "k", "--http", "--node",
        cluster.host(2) + ":" + cluster.httpPorts[2]);
    assertThat(get.exit).as(get.output).isZero();
    assertThat(get.output).contains("over binary");
    Cli ring = Cli.run(cluster.home, "ring", "--node", binary);
    assertThat(ring.exit).as(ring.output).isZero();
    assertThat(ring.output).contains("partitions over 3 nodes");
    Cli wrongPort = Cli.run(cluster.home, "get", "cli-bin", "k", "--node",
        cluster.host(2) + ":" + cluster.httpPorts[2]);
    assertThat(wrongPort.exit).isNotZero();
    assertThat(wrongPort.output).contains("HTTP port, not its client.port");
  }

  @Test
  @Order(4)
  void withANodeKilledBothRoutingsKeepWorking() throws Exception {
    try (RingkvClient aware = client(Routing.PARTITION_AWARE, seeds());
        RingkvClient any = client(Routing.ANY_NODE, seeds())) {
      for (int i = 0; i < 30; i++) {
        aware.put("kill", "before" + i, Bytes.utf8("v" + i));
      }
      cluster.kill(0);
      for (int i = 0; i < 30; i++) {
        aware.put("kill", "after" + i, Bytes.utf8("a" + i));
        any.put("kill", "any" + i, Bytes.utf8("b" + i));
      }
      for (int i = 0; i < 30; i++) {
        GetResult before = aware.get("kill", "before" + i);
        assertThat(before.value()).isEqualTo(Bytes.utf8("v" + i));
        assertThat(any.get("kill", "after" + i).value()).isEqualTo(Bytes.utf8("a" + i));
        assertThat(aware.get("kill", "any" + i).value()).isEqualTo(Bytes.utf8("b" + i));
      }
    }
  }
}
