package io.ringkv.transport.netty.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ringkv.api.NodeId;
import io.ringkv.transport.netty.LoopbackCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP API of two nodes of a loopback Netty cluster, driven by the JDK's HTTP client. */
class HttpApiLoopbackTest {
  private final LoopbackCluster cluster = new LoopbackCluster(3, Duration.ofMillis(1500));
  private final List<HttpApiServer> servers = new ArrayList<>();
  private final HttpApiServer first = http(1);
  private final HttpApiServer second = http(2);

  private HttpApiServer http(int node) {
    NodeId id = cluster.ids.get(node - 1);
    HttpApiServer s = HttpApiServer.builder(cluster.node(node).store(), cluster.view(id))
        .settings(HttpSettings.DEFAULTS.withPort(0))
        .metrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
        .eventLoopGroup(cluster.group).start();
    servers.add(s);
    return s;
  }

  @AfterEach
  void close() {
    servers.forEach(HttpApiServer::close);
    cluster.close();
  }

  private static HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  private static HttpRequest.Builder request(HttpApiServer server, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort()
        + path)).timeout(Duration.ofSeconds(10));
  }

  private static HttpResponse<String> send(HttpClient client, HttpRequest request) throws Exception {
    return client.send(request, BodyHandlers.ofString());
  }

  @Test
  void putGetUpdateSiblingsAndResolutionAcrossNodes() throws Exception {
    HttpClient c = client();
    HttpResponse<String> put = send(c, request(first, "/buckets/b/keys/user%2F1")
        .PUT(BodyPublishers.ofString("v1")).build());
    assertThat(put.statusCode()).isEqualTo(204);
    String ctx = put.headers().firstValue("X-Context").orElseThrow();

    HttpResponse<String> get = send(c, request(second, "/buckets/b/keys/user%2F1").GET().build());
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).isEqualTo("v1");

    assertThat(send(c, request(second, "/buckets/b/keys/user%2F1").header("X-Context", ctx)
        .PUT(BodyPublishers.ofString("v2")).build()).statusCode()).isEqualTo(204);
    assertThat(send(c, request(first, "/buckets/b/keys/user%2F1").GET().build()).body())
        .isEqualTo("v2");

    // Two writes from the same context: siblings, then resolved with their context.
    String seen = send(c, request(first, "/buckets/b/keys/user%2F1").GET().build()).headers()
        .firstValue("X-Context").orElseThrow();
    send(c, request(first, "/buckets/b/keys/user%2F1").header("X-Context", seen)
        .PUT(BodyPublishers.ofString("alice")).build());
    send(c, request(second, "/buckets/b/keys/user%2F1").header("X-Context", seen)
        .PUT(BodyPublishers.ofString("bob")).build());
    HttpResponse<String> conflict = send(c, request(second, "/buckets/b/keys/user%2F1").GET()
        .build());
    assertThat(conflict.statusCode()).isEqualTo(300);
    assertThat(conflict.body()).startsWith("{\"context\":\"").contains("\"siblings\":[")
        .contains("\"YWxpY2U=\"").contains("\"Ym9i\"");
    String both = conflict.headers().firstValue("X-Context").orElseThrow();
    send(c, request(first, "/buckets/b/keys/user%2F1").header("X-Context", both)
        .PUT(BodyPublishers.ofString("alice+bob")).build());
    assertThat(send(c, request(second, "/buckets/b/keys/user%2F1").GET().build()).body())
        .isEqualTo("alice+bob");

    HttpResponse<String> metrics = send(c, request(first, "/metrics").GET().build());
    assertThat(metrics.body()).contains("ringkv_http_requests_seconds_count{method=\"PUT\"");
  }

  @Test
  void anOversizedValueIs413AndTheNodeStaysHealthy() throws Exception {
    HttpResponse<String> tooBig = send(client(), request(first, "/buckets/b/keys/big")
        .PUT(BodyPublishers.ofByteArray(new byte[HttpSettings.DEFAULT_MAX_VALUE_BYTES + 1]))
        .build());
    assertThat(tooBig.statusCode()).isEqualTo(413);
    assertThat(tooBig.body()).contains("exceeds the limit of 1048576 bytes");
    HttpResponse<String> health = send(client(), request(first, "/health").GET().build());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).startsWith("{\"status\":\"ok\"");
    assertThat(send(client(), request(first, "/buckets/b/keys/small")
        .PUT(BodyPublishers.ofByteArray(new byte[1000])).build()).statusCode()).isEqualTo(204);
  }

  @Test
  void twoNodesDownIs503AndReplicasShowsThemDown() throws Exception {
    HttpClient c = client();
    assertThat(send(c, request(first, "/buckets/b/keys/k").PUT(BodyPublishers.ofString("v"))
        .build()).statusCode()).isEqualTo(204);
    cluster.stopServer(NodeId.of("n2"));
    cluster.stopServer(NodeId.of("n3"));
    HttpResponse<String> put = send(c, request(first, "/buckets/b/keys/k")
        .PUT(BodyPublishers.ofString("w")).build());
    assertThat(put.statusCode()).isEqualTo(503);
    assertThat(put.body()).contains("1 of W=2");
    HttpResponse<String> replicas = send(c, request(first, "/buckets/b/keys/k/replicas").GET()
        .build());
    assertThat(replicas.statusCode()).isEqualTo(200);
    assertThat(replicas.body()).contains("\"n2\":{\"error\":\"down\"}")
        .contains("\"n3\":{\"error\":\"down\"}").contains("\"n1\":[{\"clock\":{");
    assertThat(send(c, request(first, "/cluster/members").GET().build()).body())
        .contains("{\"id\":\"n2\",\"address\":\"127.0.0.1:").contains("\"state\":\"down\"");
  }
}
