package io.ringkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Three real nodes from the assembled distribution on loopback, used over HTTP exactly as
 * DESIGN.md describes; the last test kills a node with SIGKILL.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ClusterIT {
  private static LocalCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = new LocalCluster("cluster", 3, Map.of(
        "bucket.sessions.resolver", "lww",
        "http.max.value.bytes", "4096",
        "storage.engine", "memory")).start();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String key(int node, String bucket, String key) {
    return cluster.http(node) + "/buckets/" + bucket + "/keys/" + key;
  }

  @Test
  @Order(1)
  void putOnOneNodeGetFromEveryNode() throws Exception {
    HttpResponse<String> put = Http.put(key(0, "users", "alice"), "Alice", null);
    assertThat(put.statusCode()).isEqualTo(204);
    assertThat(Http.context(put)).isNotBlank();
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> get = Http.get(key(i, "users", "alice"));
      assertThat(get.statusCode()).as("GET via n%d", i + 1).isEqualTo(200);
      assertThat(get.body()).isEqualTo("Alice");
      assertThat(Http.context(get)).isNotBlank();
    }
    assertThat(Http.get(key(1, "users", "nobody")).statusCode()).isEqualTo(404);
  }

  @Test
  @Order(2)
  void updateWithContextReplacesTheValue() throws Exception {
    Http.put(key(0, "users", "bob"), "v1", null);
    String ctx = Http.context(Http.get(key(1, "users", "bob")));
    assertThat(Http.put(key(2, "users", "bob"), "v2", ctx).statusCode()).isEqualTo(204);
    HttpResponse<String> get = Http.get(key(0, "users", "bob"));
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).isEqualTo("v2");
  }

  @Test
  @Order(3)
  void concurrentPutsGiveSiblingsThatAPutWithTheirContextResolves() throws Exception {
    Http.put(key(0, "users", "carol"), "base", null);
    String ctx = Http.context(Http.get(key(0, "users", "carol")));
    Http.put(key(1, "users", "carol"), "left", ctx);
    Http.put(key(2, "users", "carol"), "right", ctx);
    HttpResponse<String> siblings = Http.get(key(0, "users", "carol"));
    assertThat(siblings.statusCode()).isEqualTo(300);
    assertThat(siblings.body()).contains("\"siblings\"").contains("\"context\"")
        .contains(java.util.Base64.getEncoder().encodeToString("left".getBytes()))
        .contains(java.util.Base64.getEncoder().encodeToString("right".getBytes()));
    String both = Http.context(siblings);
    assertThat(Http.put(key(1, "users", "carol"), "merged", both).statusCode()).isEqualTo(204);
    HttpResponse<String> get = Http.get(key(2, "users", "carol"));
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).isEqualTo("merged");
  }

  @Test
  @Order(4)
  void anLwwBucketKeepsTheLaterWrite() throws Exception {
    Http.put(key(0, "sessions", "s1"), "token-A", null);
    // The nodes share this machine's clock: let it move on so B's timestamp is later than A's.
    long until = System.currentTimeMillis() + 3;
    while (System.currentTimeMillis() < until) {
      Thread.onSpinWait();
    }
    Http.put(key(1, "sessions", "s1"), "token-B", null);
    HttpResponse<String> get = Http.get(key(2, "sessions", "s1"));
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).isEqualTo("token-B");
  }

  @Test
  @Order(5)
  void deleteWithContext() throws Exception {
    Http.put(key(0, "users", "dave"), "x", null);
    String ctx = Http.context(Http.get(key(0, "users", "dave")));
    assertThat(Http.send("DELETE", key(1, "users", "dave"), null, ctx).statusCode()).isEqualTo(204);
    assertThat(Http.get(key(2, "users", "dave")).statusCode()).isEqualTo(404);
  }

  @Test
  @Order(6)
  void quorumRulesAreRefusedNamingTheRule() throws Exception {
    HttpResponse<String> w1 = Http.put(key(0, "users", "q") + "?w=1", "v", null);
    assertThat(w1.statusCode()).isEqualTo(400);
    assertThat(w1.body()).contains("r + w > n");
    HttpResponse<String> r9 = Http.get(key(0, "users", "q") + "?r=9");
    assertThat(r9.statusCode()).isEqualTo(400);
    assertThat(Http.get(key(0, "users", "q") + "?r=two").statusCode()).isEqualTo(400);
    assertThat(Http.put(key(0, "users", "q") + "?w=3&r=1", "v", null).statusCode()).isEqualTo(204);
  }

  @Test
  @Order(7)
  void badInputGetsAClearErrorAndTheNodeStaysHealthy() throws Exception {
    HttpResponse<String> garbage = Http.put(key(0, "users", "g"), "v", "!!not-a-context!!");
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(garbage.body()).startsWith("{\"error\":").containsIgnoringCase("context");
    HttpResponse<String> big = Http.put(key(0, "users", "big"), "x".repeat(5000), null);
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(Http.get(cluster.http(0) + "/no/such/route").statusCode()).isEqualTo(404);
    HttpResponse<String> post = Http.send("POST", key(0, "users", "k"), "v", null);
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).isPresent();
    assertThat(Http.get(cluster.http(0) + "/health").statusCode()).isEqualTo(200);
    assertThat(Http.put(key(0, "users", "after-errors"), "fine", null).statusCode()).isEqualTo(204);
  }

  @Test
  @Order(8)
  void operatorRoutes() throws Exception {
    Http.put(key(0, "users", "erin"), "v", null);
    HttpResponse<String> replicas = Http.get(key(1, "users", "erin") + "/replicas");
    assertThat(replicas.statusCode()).isEqualTo(200);
    assertThat(replicas.body()).contains("\"preferenceList\"").contains("\"replicas\"")
        .contains("\"clock\"").contains("\"tombstone\":false");
    HttpResponse<String> members = Http.get(cluster.http(2) + "/cluster/members");
    assertThat(members.body()).contains("\"n1\"").contains("\"n2\"").contains("\"n3\"");
    assertThat(Http.get(cluster.http(0) + "/cluster/ring").statusCode()).isEqualTo(200);
    HttpResponse<String> metrics = Http.get(cluster.http(0) + "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("# TYPE");
  }

  @Test
  @Order(9)
  void theCommandLineTalksToARunningNode() throws Exception {
    String node = "127.0.0.1:" + cluster.httpPorts[1];
    Cli put = Cli.run(cluster.home, "put", "cli", "k1", "hello", "--http", "--node", node);
    assertThat(put.exit).as(put.output).isZero();
    Cli get = Cli.run(cluster.home, "get", "cli", "k1", "--http", "--node", node);
    assertThat(get.exit).as(get.output).isZero();
    assertThat(get.output).contains("hello");
    Cli missing = Cli.run(cluster.home, "get", "cli", "nothing", "--http", "--node", node);
    assertThat(missing.exit).isEqualTo(1);
  }

  @Test
  @Order(10)
  void aBrokenQuorumConfigurationIsRefusedAtStartUp() throws Exception {
    Path conf = cluster.root.resolve("broken.properties");
    Files.writeString(conf, "replication.r = 1\nreplication.w = 1\nnode.port = 1\nhttp.port = 2\n");
    Process p = cluster.launch(conf, cluster.root.resolve("broken.log"));
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    String out = Files.readString(cluster.root.resolve("broken.log"));
    assertThat(out).contains("r + w > n").contains("1. ");
  }

  @Test
  @Order(20)
  void withOneNodeKilledWritesAndReadsStillSucceed() throws Exception {
    cluster.kill(0);
    List<String> written = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      HttpResponse<String> put = Http.put(key(1 + i % 2, "after-kill", "k" + i), "v" + i, null);
      assertThat(put.statusCode()).as("put k%d: %s", i, put.body()).isEqualTo(204);
      written.add("k" + i);
    }
    for (int i = 0; i < written.size(); i++) {
      HttpResponse<String> get = Http.get(key(2 - i % 2, "after-kill", written.get(i)));
      assertThat(get.statusCode()).as("get %s: %s", written.get(i), get.body()).isEqualTo(200);
      assertThat(get.body()).isEqualTo("v" + i);
    }
  }
}
