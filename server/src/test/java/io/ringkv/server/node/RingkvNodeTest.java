package io.ringkv.server.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.ConfigException;
import io.ringkv.server.config.ConfigLoader;
import io.ringkv.server.config.ServerConfig;
import io.ringkv.server.wiring.StorageModule;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A single node started in this JVM on loopback: what it refuses at start, how it answers a put
 * too large to store, and its storage meters.
 */
@Timeout(60)
class RingkvNodeTest {
  @TempDir
  Path dir;

  private ServerConfig config(String... overrides) throws IOException {
    Properties sys = new Properties();
    sys.setProperty("node.id", "solo");
    sys.setProperty("node.port", String.valueOf(freePort()));
    sys.setProperty("http.port", String.valueOf(freePort()));
    sys.setProperty("storage.dir", dir.resolve("data").toString());
    sys.setProperty("plugins.dir", dir.resolve("plugins").toString());
    sys.setProperty("replication.n", "1");
    sys.setProperty("replication.r", "1");
    sys.setProperty("replication.w", "1");
    for (int i = 0; i < overrides.length; i += 2) {
      sys.setProperty(overrides[i], overrides[i + 1]);
    }
    return new ConfigLoader(Map.of(), sys, StorageModule.ENGINES, plugins -> new TreeSet<>(List.of("siblings")))
        .load(null);
  }

  @Test
  void aValueLimitTheStorageEngineCannotMeetStopsTheStart() throws IOException {
    // The log engine keeps a key in one record, a quarter of block.bytes: 256 KiB less 64 here.
    ServerConfig config = config("storage.option.block.bytes", "1m", "http.max.value.bytes", "300000");

    assertThatThrownBy(() -> RingkvNode.start(config, List.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("http.max.value.bytes"))
        .hasMessageContaining("at most 262080 bytes per key")
        .hasMessageContaining("set it to at most " + (262080 - 1024 - 64 * 1024))
        .hasMessageContaining("storage.option.block.bytes").hasMessageContaining("to 2097152");
    // Nothing was left running: the same ports and folder start a node with a limit that fits.
    try (RingkvNode node = RingkvNode.start(withValueLimit(config, 150_000), List.of())) {
      assertThat(node.httpAddress().getPort()).isEqualTo(config.http().port());
    }
  }

  @Test
  void aValueLimitNoBlockSizeCanMeetSaysSo() throws IOException {
    ServerConfig config = config("http.max.value.bytes", String.valueOf(256 << 20));

    assertThatThrownBy(() -> RingkvNode.start(config, List.of())).isInstanceOf(ConfigException.class)
        .hasMessageContaining("no storage.option.block.bytes holds it");
  }

  @Test
  void aStorageOptionTheEngineRefusesIsAConfigurationError() throws IOException {
    ServerConfig config = config("storage.option.block.bytes", "3");

    assertThatThrownBy(() -> RingkvNode.start(config, List.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("storage.engine"))
        .hasMessageContaining("block.bytes").hasMessageContaining("storage.option.<name>");
  }

  @Test
  void siblingsTooLargeToStoreTogetherAreAnswered413AndKeptAsTheyWere() throws Exception {
    ServerConfig config = config("storage.option.block.bytes", "1m", "http.max.value.bytes", "150000");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    byte[] a = filled('a', 100_000);
    byte[] b = filled('b', 100_000);
    byte[] c = filled('c', 100_000);
    try (RingkvNode node = RingkvNode.start(config, List.of())) {
      URI key = URI.create("http://127.0.0.1:" + node.httpAddress().getPort() + "/buckets/big/keys/k");

      // Two writers without a context: two siblings, 200 KB together, which fit.
      assertThat(send(http, put(key, a, null)).statusCode()).isEqualTo(204);
      assertThat(send(http, put(key, b, null)).statusCode()).isEqualTo(204);
      // A third would make the set larger than the engine keeps for one key.
      HttpResponse<byte[]> refused = send(http, put(key, c, null));
      assertThat(refused.statusCode()).isEqualTo(413);
      assertThat(new String(refused.body())).startsWith("{\"error\":").contains("3 sibling versions")
          .contains("context").contains("nothing was stored");

      HttpResponse<byte[]> siblings = send(http, HttpRequest.newBuilder(key).timeout(Duration.ofSeconds(10)).build());
      assertThat(siblings.statusCode()).as("both stored siblings are still there").isEqualTo(300);
      String context = siblings.headers().firstValue("X-Context").orElseThrow();

      // A put with that context replaces both, and fits.
      assertThat(send(http, put(key, c, context)).statusCode()).isEqualTo(204);
      HttpResponse<byte[]> resolved = send(http, HttpRequest.newBuilder(key).timeout(Duration.ofSeconds(10)).build());
      assertThat(resolved.statusCode()).isEqualTo(200);
      assertThat(Arrays.equals(resolved.body(), c)).isTrue();
    }
  }

  @Test
  void theStorageEngineIsOnMetrics() throws Exception {
    ServerConfig config = config();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try (RingkvNode node = RingkvNode.start(config, List.of())) {
      String base = "http://127.0.0.1:" + node.httpAddress().getPort();
      for (int i = 0; i < 3; i++) {
        URI key = URI.create(base + "/buckets/m/keys/k" + i);
        assertThat(send(http, put(key, filled('v', 100), null)).statusCode()).isEqualTo(204);
      }

      // Meters that hold their source weakly would read NaN after a collection: make sure one ran.
      java.lang.ref.WeakReference<Object> probe = new java.lang.ref.WeakReference<>(new Object());
      for (int i = 0; i < 100 && probe.get() != null; i++) {
        System.gc(); // a full collection, done when it returns (unless -XX:+ExplicitGCInvokesConcurrent)
      }
      assertThat(probe.get()).as("a garbage collection ran").isNull();
      String metrics = new String(send(http, HttpRequest.newBuilder(URI.create(base + "/metrics"))
          .timeout(Duration.ofSeconds(10)).build()).body());

      assertThat(metrics).contains("ringkv_storage_keys{engine=\"log\"} 3.0")
          .containsPattern("ringkv_storage_log_files\\{engine=\"log\"} [1-9]")
          .containsPattern("ringkv_storage_log_live_bytes\\{engine=\"log\"} [1-9]")
          .containsPattern("ringkv_storage_disk_free_bytes\\{engine=\"log\"} [1-9]")
          .contains("ringkv_storage_compactions_total{engine=\"log\"} 0.0")
          .contains("ringkv_storage_corrupt_records_total{engine=\"log\"} 0.0")
          .contains("ringkv_storage_recovery_duration_seconds{engine=\"log\"}")
          .contains("ringkv_storage_index_size_bytes{engine=\"log\"}");
    }
  }

  private static ServerConfig withValueLimit(ServerConfig config, int maxValueBytes) {
    return new ServerConfig(config.node(), new ServerConfig.HttpConfig(config.http().port(),
        config.http().maxKeyBytes(), maxValueBytes), config.clientPort(), config.membership(), config.cluster());
  }

  private static HttpRequest put(URI key, byte[] value, String context) {
    HttpRequest.Builder request = HttpRequest.newBuilder(key).timeout(Duration.ofSeconds(10))
        .PUT(BodyPublishers.ofByteArray(value));
    if (context != null) {
      request.header("X-Context", context);
    }
    return request.build();
  }

  private static HttpResponse<byte[]> send(HttpClient http, HttpRequest request) throws Exception {
    return http.send(request, BodyHandlers.ofByteArray());
  }

  private static byte[] filled(char c, int length) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) c);
    return bytes;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
