package io.ringkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Durable storage end to end: three nodes on the log engine (sync=batch), acknowledged writes,
 * every node killed with SIGKILL, restarted, and every acknowledged key read back.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DurabilityIT {

  @Test
  void everyAcknowledgedWriteSurvivesKillingEveryNode() throws Exception {
    try (LocalCluster cluster = new LocalCluster("durable", 3, Map.of(
        "storage.engine", "log", "storage.sync", "batch"))) {
      cluster.start();
      Map<String, String> acknowledged = new LinkedHashMap<>();
      for (int i = 0; i < 200; i++) {
        String key = "k" + i;
        String value = "value-" + i + "-" + "x".repeat(i % 50);
        HttpResponse<String> put = Http.put(cluster.http(i % 3) + "/buckets/durable/keys/" + key,
            value, null);
        if (put.statusCode() == 204) {
          acknowledged.put(key, value);
        }
      }
      // Overwrite some with their context, so recovery must keep the newest version only.
      for (int i = 0; i < 50; i++) {
        String key = "k" + i;
        String url = cluster.http((i + 1) % 3) + "/buckets/durable/keys/" + key;
        String ctx = Http.context(Http.get(url));
        if (Http.put(url, "updated-" + i, ctx).statusCode() == 204) {
          acknowledged.put(key, "updated-" + i);
        }
      }
      assertThat(acknowledged).hasSize(200);
      for (int n = 0; n < 3; n++) {
        cluster.kill(n);
      }
      for (int n = 0; n < 3; n++) {
        cluster.start(n);
      }
      cluster.awaitReady(Duration.ofSeconds(90));
      for (Map.Entry<String, String> e : acknowledged.entrySet()) {
        HttpResponse<String> get = Http.get(cluster.http(e.getKey().hashCode() & 1)
            + "/buckets/durable/keys/" + e.getKey());
        assertThat(get.statusCode()).as("%s after restart: %s", e.getKey(), get.body()).isEqualTo(200);
        assertThat(get.body()).as(e.getKey()).isEqualTo(e.getValue());
      }
      // A new write after the restart is a new dot, never a reissued one: it supersedes cleanly.
      String url = cluster.http(2) + "/buckets/durable/keys/k0";
      String ctx = Http.context(Http.get(url));
      assertThat(Http.put(url, "after-restart", ctx).statusCode()).isEqualTo(204);
      assertThat(Http.get(cluster.http(0) + "/buckets/durable/keys/k0").body()).isEqualTo("after-restart");
    }
  }
}
