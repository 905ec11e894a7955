package io.ringkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ringkv.testkit.net.Partition;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A network partition between one node and the other two, made with the fault proxies every
 * node-to-node message goes through: both sides keep taking writes (w=1 buckets: the isolated
 * node keeps hints for the two it cannot reach, the others for it), the same key is written on
 * both sides, the partition heals, the hints are handed off both ways, and every node then holds
 * both writes as siblings (bucket resolver {@code siblings}) or the later one ({@code lww}):
 * nothing acknowledged is lost.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PartitionIT {
  private static final Map<String, String> BUCKETS = Map.of(
      "bucket.split.n", "3", "bucket.split.r", "3", "bucket.split.w", "1",
      "bucket.late.n", "3", "bucket.late.r", "3", "bucket.late.w", "1",
      "bucket.late.resolver", "lww");

  private static String url(LocalCluster c, int node, String bucket, String key) {
    return c.http(node) + "/buckets/" + bucket + "/keys/" + key;
  }

  private static boolean seesDown(LocalCluster c, int asked, String id) throws Exception {
    for (JsonNode m : Replicas.json(Http.get(c.http(asked) + "/cluster/members").body())
        .path("members")) {
      if (m.path("id").asText().equals(id)) {
        return m.path("state").asText().equals("down");
      }
    }
    return false;
  }

  private static List<String> siblings(HttpResponse<String> get) throws Exception {
    List<String> values = new ArrayList<>();
    if (get.statusCode() == 200) {
      values.add(get.body());
    } else if (get.statusCode() == 300) {
      for (JsonNode s : Replicas.json(get.body()).path("siblings")) {
        values.add(new String(Base64.getDecoder().decode(s.path("value").asText()),
            StandardCharsets.UTF_8));
      }
    }
    return values;
  }

  @Test
  void bothSidesOfAPartitionTakeWritesAndTheHealedClusterKeepsAllOfThem() throws Exception {
    try (LocalCluster c = LocalCluster.proxied("partition", 3, BUCKETS).start()) {
      Partition partition = c.partition();
      partition.isolate("n1");
      Awaitility.await("both sides see the other down").atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(100)).until(() -> seesDown(c, 0, "n2")
              && seesDown(c, 0, "n3") && seesDown(c, 1, "n1") && seesDown(c, 2, "n1"));

      // The same keys written on both sides, and one key on each side alone.
      HttpResponse<String> left = Http.put(url(c, 0, "split", "cart") + "?w=1", "left", null);
      HttpResponse<String> right = Http.put(url(c, 1, "split", "cart") + "?w=1", "right", null);
      assertThat(left.statusCode()).as(left.body()).isEqualTo(204);
      assertThat(right.statusCode()).as(right.body()).isEqualTo(204);
      // The isolated node holds the write alone, and a hint for each primary it cannot reach.
      assertThat(left.headers().firstValue("X-Ringkv-Replicas").orElseThrow().split(","))
          .containsExactlyInAnyOrder("n1=primary", "n1=hint(n2)", "n1=hint(n3)");
      assertThat(Http.put(url(c, 0, "split", "only-left") + "?w=1", "L", null).statusCode())
          .isEqualTo(204);
      assertThat(Http.put(url(c, 2, "split", "only-right") + "?w=1", "R", null).statusCode())
          .isEqualTo(204);
      assertThat(Http.put(url(c, 1, "late", "score") + "?w=1", "first", null).statusCode())
          .isEqualTo(204);
      // The lww timestamps must differ: the nodes share this machine's clock, so wait for it to
      // move on from the first write's answer.
      long firstAnswered = System.currentTimeMillis();
      Awaitility.await("the clock moves on").atMost(Duration.ofSeconds(1))
          .pollInterval(Duration.ofMillis(1))
          .until(() -> System.currentTimeMillis() > firstAnswered + 5);
      assertThat(Http.put(url(c, 0, "late", "score") + "?w=1", "second", null).statusCode())
          .isEqualTo(204);
      // W=2 on the isolated side cannot be met: refused, with what was reached.
      HttpResponse<String> minority = Http.put(url(c, 0, "b", "k"), "x", null);
      assertThat(minority.statusCode()).isEqualTo(503);
      assertThat(minority.body()).contains("1 of W=2");

      partition.heal();
      Awaitility.await("after the heal every node holds both writes, without a read")
          .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            Replicas r = Replicas.of(c.http(2), "split", "cart");
            for (String node : List.of("n1", "n2", "n3")) {
              List<String> held = r.values(node);
              if (held == null || held.size() != 2) {
                return false;
              }
            }
            return r.hints() == 0;
          });
      for (int node = 0; node < 3; node++) {
        assertThat(siblings(Http.get(url(c, node, "split", "cart") + "?r=3")))
            .as("siblings via n%d", node + 1).containsExactlyInAnyOrder("left", "right");
        assertThat(Http.get(url(c, node, "split", "only-left") + "?r=3").body()).isEqualTo("L");
        assertThat(Http.get(url(c, node, "split", "only-right") + "?r=3").body()).isEqualTo("R");
        assertThat(Http.get(url(c, node, "late", "score") + "?r=3").body())
            .as("lww keeps the later write").isEqualTo("second");
      }
    }
  }
}
