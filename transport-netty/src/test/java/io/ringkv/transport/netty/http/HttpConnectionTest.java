package io.ringkv.transport.netty.http;

import static io.ringkv.transport.netty.http.HttpTester.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.GetResult;
import io.ringkv.api.Key;
import io.ringkv.api.KvStore;
import io.ringkv.api.PutResult;
import io.ringkv.api.RequestOptions;
import io.ringkv.transport.netty.SyncCluster;
import io.ringkv.transport.netty.Versions;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Connection behaviour of the HTTP API: keep-alive, pipelining, 413s, malformed requests. */
class HttpConnectionTest {
  private static final HttpSettings SMALL = HttpSettings.DEFAULTS.withMaxValueBytes(1000);
  private final SyncCluster cluster = new SyncCluster();
  private final HttpTester http = new HttpTester(cluster.node(1).store(), cluster.view(), SMALL);

  @AfterEach
  void close() {
    http.close();
  }

  private static String put(String key, int length, String extraHeaders) {
    return "PUT /buckets/b/keys/" + key + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + length
        + "\r\n" + extraHeaders + "\r\n";
  }

  private static String get(String key) {
    return "GET /buckets/b/keys/" + key + " HTTP/1.1\r\nHost: x\r\n\r\n";
  }

  @Test
  void aValueOverTheLimitIs413AndTheConnectionKeepsServing() {
    FullHttpResponse r = http.sendRaw(put("big", 1001, ""));
    assertThat(r.status().code()).isEqualTo(413);
    assertThat(r.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
    assertThat(body(r)).isEqualTo(
        "{\"error\":\"value of 1001 bytes exceeds the limit of 1000 bytes\"}");
    // The body still arrives and is skipped; the connection then serves the next request.
    assertThat(http.sendRaw("x".repeat(1001))).isNull();
    assertThat(http.server.isActive()).isTrue();
    assertThat(http.sendRaw(put("small", 1000, "") + "y".repeat(1000)).status().code())
        .isEqualTo(204);
    FullHttpResponse back = http.sendRaw(get("small"));
    assertThat(body(back)).isEqualTo("y".repeat(1000));
  }

  @Test
  void anExpectContinueOverTheLimitGetsTheJson413InsteadOfTheContinue() {
    FullHttpResponse r = http.sendRaw(put("big", 5000, "Expect: 100-continue\r\n"));
    assertThat(r.status().code()).isEqualTo(413);
    assertThat(body(r)).contains("value of 5000 bytes exceeds the limit of 1000 bytes");
    assertThat(http.server.isActive()).isTrue();
    assertThat(http.sendRaw(get("nothing")).status().code()).isEqualTo(404);
  }

  @Test
  void aChunkedBodyOverTheLimitIs413AndClosesTheConnectionCleanly() {
    String head = "PUT /buckets/b/keys/chunked HTTP/1.1\r\nHost: x\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n";
    String chunk = Integer.toHexString(600) + "\r\n" + "z".repeat(600) + "\r\n";
    FullHttpResponse r = http.sendRaw(head + chunk + chunk);
    assertThat(r.status().code()).isEqualTo(413);
    assertThat(body(r)).contains("exceeds the limit of 1000 bytes");
    assertThat(r.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
    assertThat(http.server.isOpen()).isFalse();
  }

  @Test
  void malformedHttpIs400AndClosesTheConnection() {
    FullHttpResponse r = http.sendRaw("THIS IS NOT HTTP\r\n\r\n");
    assertThat(r.status().code()).isEqualTo(400);
    assertThat(body(r)).startsWith("{\"error\":\"malformed HTTP request");
    assertThat(http.server.isOpen()).isFalse();
  }

  @Test
  void aRequestLineTooLongIs413() {
    String key = "k".repeat(5000);
    FullHttpResponse r = http.sendRaw(get(key));
    assertThat(r.status().code()).isEqualTo(413);
    assertThat(body(r)).contains("request too large");
  }

  @Test
  void keepAliveIsTheDefaultAndConnectionCloseIsHonoured() {
    FullHttpResponse first = http.sendRaw(get("a"));
    assertThat(first.headers().contains(HttpHeaderNames.CONNECTION)).isFalse();
    assertThat(http.server.isActive()).isTrue();
    FullHttpResponse last = http.sendRaw("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(last.status().code()).isEqualTo(200);
    assertThat(last.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
    assertThat(http.server.isOpen()).isFalse();
  }

  @Test
  void http10ClosesUnlessItAsksForKeepAlive() {
    FullHttpResponse kept = http.sendRaw("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    assertThat(kept.headers().get(HttpHeaderNames.CONNECTION)).isEqualToIgnoringCase("keep-alive");
    assertThat(http.server.isActive()).isTrue();
    http.sendRaw("GET /health HTTP/1.0\r\n\r\n");
    assertThat(http.server.isOpen()).isFalse();
  }

  /** A store whose gets of key "slow" complete only when the test says so. */
  private static final class SlowStore implements KvStore {
    final Map<String, CompletableFuture<GetResult>> slow = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<GetResult> get(Key key, RequestOptions options) {
      if (key.key().startsWith("slow")) {
        return slow.computeIfAbsent(key.key(), k -> new CompletableFuture<>());
      }
      return CompletableFuture.completedFuture(GetResult.notFound(Context.EMPTY));
    }

    @Override
    public CompletableFuture<PutResult> put(Key key, Context context, Bytes value,
        RequestOptions options) {
      return CompletableFuture.completedFuture(PutResult.of(Context.EMPTY));
    }

    @Override
    public CompletableFuture<PutResult> delete(Key key, Context context, RequestOptions options) {
      return CompletableFuture.completedFuture(PutResult.of(Context.EMPTY));
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInRequestOrder() {
    SlowStore store = new SlowStore();
    try (HttpTester t = new HttpTester(store, cluster.view(), SMALL)) {
      assertThat(t.sendRaw(get("slow1") + get("fast") + get("slow2"))).isNull();
      store.slow.get("slow2").complete(GetResult.notFound(Context.EMPTY));
      assertThat(t.next()).as("the first answer is not ready: nothing may be written").isNull();
      store.slow.get("slow1").complete(new GetResult(java.util.List.of(Versions.version("one",
          Versions.actor("n1", 1), 1, io.ringkv.api.VectorClock.empty(), 1)), Context.EMPTY));
      FullHttpResponse a = t.next();
      FullHttpResponse b = t.next();
      FullHttpResponse c = t.next();
      assertThat(a.status().code()).isEqualTo(200);
      assertThat(a.content().toString(StandardCharsets.UTF_8)).isEqualTo("one");
      assertThat(b.status().code()).isEqualTo(404);
      assertThat(c.status().code()).isEqualTo(404);
    }
  }

  @Test
  void aClientPipeliningTooManyRequestsIsNotReadUntilTheyAreAnswered() {
    SlowStore store = new SlowStore();
    try (HttpTester t = new HttpTester(store, cluster.view(), SMALL)) {
      StringBuilder many = new StringBuilder();
      for (int i = 0; i < HttpConnectionHandler.MAX_PIPELINED; i++) {
        many.append(get("slow" + i));
      }
      assertThat(t.sendRaw(many.toString())).isNull();
      assertThat(t.server.config().isAutoRead()).isFalse();
      for (int i = 0; i < HttpConnectionHandler.MAX_PIPELINED; i++) {
        store.slow.get("slow" + i).complete(GetResult.notFound(Context.EMPTY));
      }
      for (int i = 0; i < HttpConnectionHandler.MAX_PIPELINED; i++) {
        assertThat(t.next().status().code()).isEqualTo(404);
      }
      assertThat(t.server.config().isAutoRead()).isTrue();
    }
  }
}
