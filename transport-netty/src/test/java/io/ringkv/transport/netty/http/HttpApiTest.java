package io.ringkv.transport.netty.http;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static io.netty.handler.codec.http.HttpMethod.PUT;
import static io.ringkv.transport.netty.http.HttpTester.body;
import static io.ringkv.transport.netty.http.HttpTester.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.GetResult;
import io.ringkv.api.Key;
import io.ringkv.api.KvStore;
import io.ringkv.api.NodeId;
import io.ringkv.api.PutResult;
import io.ringkv.api.ReplicaReceipt;
import io.ringkv.api.RequestOptions;
import io.ringkv.api.Versioned;
import io.ringkv.transport.netty.SyncCluster;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Routes, status codes and JSON bodies of the HTTP API on an {@code EmbeddedChannel}. */
class HttpApiTest {
  private final SyncCluster cluster = new SyncCluster();
  private final KvStore store = cluster.node(1).store();
  private final HttpTester http = new HttpTester(store, cluster.view(), HttpSettings.DEFAULTS);

  @AfterEach
  void close() {
    http.close();
  }

  private FullHttpResponse put(String uri, String value) {
    return http.send(request(PUT, uri, value));
  }

  private FullHttpResponse put(String uri, String value, String context) {
    FullHttpRequest r = request(PUT, uri, value);
    r.headers().set("X-Context", context);
    return http.send(r);
  }

  private FullHttpResponse get(String uri) {
    return http.send(request(GET, uri));
  }

  private static void assertJsonError(FullHttpResponse r, int status, String... fragments) {
    assertThat(r.status().code()).as(body(r)).isEqualTo(status);
    assertThat(r.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
    assertThat(body(r)).startsWith("{\"error\":\"").endsWith("\"}");
    for (String f : fragments) {
      assertThat(body(r)).contains(f);
    }
  }

  private GetResult direct(String bucket, String key) {
    return store.get(Key.of(bucket, key), RequestOptions.DEFAULT).join();
  }

  @Test
  void putAnswers204WithTheNewContextAndGetAnswersTheValue() {
    FullHttpResponse put = put("/buckets/b/keys/k", "hello");
    assertThat(put.status().code()).isEqualTo(204);
    assertThat(put.content().readableBytes()).isZero();
    String context = put.headers().get("X-Context");
    assertThat(context).isNotBlank();

    FullHttpResponse get = get("/buckets/b/keys/k");
    assertThat(get.status().code()).isEqualTo(200);
    assertThat(body(get)).isEqualTo("hello");
    assertThat(get.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/octet-stream");
    assertThat(get.headers().get("X-Context")).isEqualTo(context);
  }

  @Test
  void concurrentPutsAnswer300WithTheSiblingsAndAPutWithTheirContextResolvesThem() {
    put("/buckets/b/keys/cart", "alice");
    put("/buckets/b/keys/cart", "bob");
    FullHttpResponse r = get("/buckets/b/keys/cart");
    assertThat(r.status().code()).isEqualTo(300);
    assertThat(r.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
    GetResult expected = direct("b", "cart");
    StringJoiner siblings = new StringJoiner(",", "[", "]");
    for (Versioned<Bytes> v : expected.siblings()) {
      siblings.add("{\"value\":\"" + v.value().toBase64() + "\",\"timestamp\":" + v.timestamp() + "}");
    }
    assertThat(body(r)).isEqualTo("{\"context\":\"" + expected.context().encoded()
        + "\",\"siblings\":" + siblings + "}");
    assertThat(body(r)).contains(Base64.getEncoder().encodeToString("alice".getBytes()))
        .contains(Base64.getEncoder().encodeToString("bob".getBytes()));
    assertThat(r.headers().get("X-Context")).isEqualTo(expected.context().encoded());

    assertThat(put("/buckets/b/keys/cart", "both", r.headers().get("X-Context")).status().code())
        .isEqualTo(204);
    assertThat(body(get("/buckets/b/keys/cart"))).isEqualTo("both");
  }

  @Test
  void anAbsentKeyIs404AndADeletedOneStill404WithItsContext() {
    FullHttpResponse absent = get("/buckets/b/keys/nothing");
    assertJsonError(absent, 404);
    assertThat(body(absent)).isEqualTo("{\"error\":\"not found\"}");
    assertThat(absent.headers().contains("X-Context")).isFalse();

    String ctx = put("/buckets/b/keys/gone", "v").headers().get("X-Context");
    FullHttpRequest del = request(DELETE, "/buckets/b/keys/gone");
    del.headers().set("X-Context", ctx);
    FullHttpResponse deleted = http.send(del);
    assertThat(deleted.status().code()).isEqualTo(204);

    FullHttpResponse after = get("/buckets/b/keys/gone");
    assertJsonError(after, 404, "not found");
    assertThat(after.headers().get("X-Context")).isNotBlank();
  }

  @Test
  void aDeleteWithoutContextDeletesWhatItReads() {
    put("/buckets/b/keys/blind", "v");
    assertThat(http.send(request(DELETE, "/buckets/b/keys/blind")).status().code()).isEqualTo(204);
    assertThat(get("/buckets/b/keys/blind").status().code()).isEqualTo(404);
  }

  @Test
  void anLwwBucketAnswersOneValue() {
    put("/buckets/scores/keys/k", "1");
    put("/buckets/scores/keys/k", "2");
    FullHttpResponse r = get("/buckets/scores/keys/k");
    assertThat(r.status().code()).isEqualTo(200);
    assertThat(body(r)).isIn("1", "2");
  }

  @Test
  void keysAreUrlDecodedStrictly() {
    assertThat(put("/buckets/b/keys/a%2Fb%20c+d%C3%BC", "v").status().code()).isEqualTo(204);
    assertThat(direct("b", "a/b c+dü").value().toUtf8()).isEqualTo("v");
    assertJsonError(get("/buckets/b/keys/bad%zz"), 400, "bad URI encoding in the key",
        "not followed by two hex digits");
    assertJsonError(get("/buckets/b/keys/bad%ff"), 400, "not valid UTF-8");
    assertJsonError(get("/buckets/b/keys/"), 400, "missing key");
    assertJsonError(get("/buckets/b/keys"), 400, "missing key");
    assertJsonError(get("/buckets/b%20x/keys/k"), 400, "bucket 'b x' is invalid");
  }

  @Test
  void quorumOverridesMustBeIntegersAndKeepTheRule() {
    put("/buckets/b/keys/q", "v");
    assertJsonError(get("/buckets/b/keys/q?r=abc"), 400, "query parameter r='abc' is not an integer");
    assertJsonError(put("/buckets/b/keys/q?w=1", "v"), 400, "r + w > n", "w=1");
    assertJsonError(get("/buckets/b/keys/q?r=0"), 400, "1 <= r <= n");
    assertJsonError(get("/buckets/b/keys/q?r=4"), 400, "r must satisfy 1 <= r <= n");
    assertJsonError(get("/buckets/b/keys/q?r=%zz"), 400, "bad URI encoding in the query");
    assertThat(get("/buckets/b/keys/q?r=3").status().code()).isEqualTo(200);
    assertThat(put("/buckets/b/keys/q?w=3", "v2").status().code()).isEqualTo(204);
  }

  @Test
  void aGarbageContextIs400NamingTheHeader() {
    assertJsonError(put("/buckets/b/keys/c", "v", "!!!not base64!!!"), 400,
        "X-Context header '!!!not base64!!!'", "not base64url");
    assertJsonError(put("/buckets/b/keys/c", "v", "AAAA"), 400, "X-Context header 'AAAA'",
        "invalid context");
    FullHttpRequest del = request(DELETE, "/buckets/b/keys/c");
    del.headers().set("X-Context", "%%%");
    assertJsonError(http.send(del), 400, "X-Context");
  }

  @Test
  void aKeyOverTheLimitIs413() {
    String key = "k".repeat(1025);
    assertJsonError(put("/buckets/b/keys/" + key, "v"), 413,
        "key of 1025 bytes exceeds the limit of 1024 bytes");
    assertThat(put("/buckets/b/keys/" + "k".repeat(1024), "v").status().code()).isEqualTo(204);
  }

  @Test
  void aWrongMethodIs405WithAllow() {
    FullHttpResponse r = http.send(request(POST, "/buckets/b/keys/k", "v"));
    assertJsonError(r, 405, "method POST is not allowed on /buckets/{bucket}/keys/{key}");
    assertThat(r.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("GET, PUT, DELETE");
    FullHttpResponse health = http.send(request(DELETE, "/health"));
    assertJsonError(health, 405);
    assertThat(health.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("GET");
    FullHttpResponse replicas = put("/buckets/b/keys/k/replicas", "x");
    assertThat(replicas.status().code()).isEqualTo(405);
    assertThat(replicas.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("GET");
  }

  @Test
  void anUnknownRouteIs404() {
    assertJsonError(get("/nope"), 404, "unknown route: /nope");
    assertJsonError(get("/buckets/b/keys/k/replicas/more"), 404);
    assertJsonError(get("/"), 404);
  }

  @Test
  void aQuorumThatCannotBeReachedIs503SayingKOfW() {
    cluster.network.disconnect(NodeId.of("n2"));
    cluster.network.disconnect(NodeId.of("n3"));
    assertJsonError(put("/buckets/b/keys/k", "v"), 503, "1 of W=2");
    assertJsonError(get("/buckets/b/keys/k"), 503, "1 of R=2");
  }

  @Test
  void replicasShowsWhatEachNodeHoldsAndDownForOneThatCannotAnswer() {
    Key key = Key.of("b", "inspect");
    put("/buckets/b/keys/inspect", "v1");
    List<NodeId> pref = cluster.ring.preferenceList(key, 3).primaries();
    NodeId down = pref.get(2);
    cluster.network.disconnect(down);

    FullHttpResponse r = get("/buckets/b/keys/inspect/replicas");
    assertThat(r.status().code()).isEqualTo(200);
    Versioned<Bytes> v = cluster.node(1).local(key).versions().get(0);
    Actor writer = v.dot().actor();
    String version = "[{\"clock\":{\"" + writer + "\":" + v.dot().counter() + "},\"value\":\""
        + Bytes.utf8("v1").toBase64() + "\",\"timestamp\":" + v.timestamp()
        + ",\"tombstone\":false}]";
    assertThat(body(r)).isEqualTo("{\"preferenceList\":[\"" + pref.get(0) + "\",\"" + pref.get(1)
        + "\",\"" + pref.get(2) + "\"],\"replicas\":{\"" + pref.get(0) + "\":" + version + ",\""
        + pref.get(1) + "\":" + version + ",\"" + down + "\":{\"error\":\"down\"}},\"hints\":[]}");
    assertThat(writer.toString()).matches("n\\d#\\d+");
  }

  private static final String NO_HINTS = "\"hints\":{\"count\":0,\"bytes\":0,\"oldestAgeMs\":0},"
      + "\"antiEntropy\":{\"partitions\":0,\"failed\":0,\"keysRepaired\":0,\"lastExchangeMs\":0,"
      + "\"exchanges\":[]}";

  @Test
  void ringChangeRoutesRefuseBadInputNamingIt() {
    FullHttpResponse noNode = http.send(request(POST, "/cluster/remove"));
    assertThat(noNode.status().code()).isEqualTo(400);
    assertThat(body(noNode)).contains("remove needs one node id");
    FullHttpResponse badFlag = http.send(request(POST, "/cluster/leave?plan=maybe"));
    assertThat(badFlag.status().code()).isEqualTo(400);
    assertThat(body(badFlag)).contains("plan must be true or false");
    FullHttpResponse unsupported = http.send(request(POST, "/cluster/remove?node=n3&plan=true"));
    assertThat(unsupported.status().code()).isEqualTo(400);
    assertThat(body(unsupported)).contains("does not support plans");
    assertThat(get("/cluster/remove").status().code()).isEqualTo(405);
  }

  @Test
  void repairStartsAnAntiEntropyRoundAndRefusesABadPartition() {
    put("/buckets/b/keys/r", "v");
    FullHttpResponse all = http.send(request(POST, "/cluster/repair?wait=true"));
    assertThat(all.status().code()).isEqualTo(200);
    assertThat(body(all)).contains("keys repaired");
    assertThat(http.send(request(POST, "/cluster/repair?partition=3")).status().code())
        .isEqualTo(200);

    FullHttpResponse outside = http.send(request(POST, "/cluster/repair?partition=16"));
    assertThat(outside.status().code()).isEqualTo(400);
    assertThat(body(outside)).contains("partition 16");
    FullHttpResponse notANumber = http.send(request(POST, "/cluster/repair?partition=x"));
    assertThat(notANumber.status().code()).isEqualTo(400);
    assertThat(body(notANumber)).contains("partition must be one number");
    assertThat(http.send(request(POST, "/cluster/repair?wait=maybe")).status().code())
        .isEqualTo(400);
    assertThat(get("/cluster/repair").status().code()).isEqualTo(405);
  }

  @Test
  void ringMembersAndHealthAreJson() {
    FullHttpResponse ring = get("/cluster/ring");
    assertThat(ring.status().code()).isEqualTo(200);
    assertThat(body(ring)).startsWith("{\"version\":7,\"partitions\":16,\"nodes\":{\"n1\":")
        .contains("\"owners\":[\"");
    Map<NodeId, Integer> counts = cluster.ring.ownershipCounts();
    assertThat(body(ring)).contains("\"n2\":" + counts.get(NodeId.of("n2")));

    cluster.network.disconnect(NodeId.of("n3"));
    String member = "\",\"status\":\"up\",\"ready\":false,";
    assertThat(body(get("/cluster/members"))).isEqualTo("{\"members\":["
        + "{\"id\":\"n1\",\"address\":\"127.0.0.1:7000\",\"state\":\"up" + member + NO_HINTS + "},"
        + "{\"id\":\"n2\",\"address\":\"127.0.0.1:7001\",\"state\":\"up" + member + NO_HINTS + "},"
        + "{\"id\":\"n3\",\"address\":\"127.0.0.1:7002\",\"state\":\"down" + member + NO_HINTS
        + "}]}");
    FullHttpResponse health = get("/health");
    assertThat(health.status().code()).isEqualTo(200);
    assertThat(body(health)).isEqualTo("{\"status\":\"ok\",\"node\":\"n1\",\"members\":3,\"up\":2}");
  }

  @Test
  void metricsCountRequestsByRouteMethodAndStatusInPrometheusText() {
    put("/buckets/b/keys/m", "v");
    get("/buckets/b/keys/m");
    get("/buckets/b/keys/absent");
    get("/nope");
    FullHttpResponse m = get("/metrics");
    assertThat(m.status().code()).isEqualTo(200);
    assertThat(m.headers().get(HttpHeaderNames.CONTENT_TYPE)).startsWith("text/plain; version=0.0.4");
    assertThat(body(m))
        .contains("ringkv_http_requests_seconds_count{method=\"PUT\",route=\"/buckets/{bucket}/keys/{key}\",status=\"204\"} 1")
        .contains("ringkv_http_requests_seconds_count{method=\"GET\",route=\"/buckets/{bucket}/keys/{key}\",status=\"200\"} 1")
        .contains("ringkv_http_requests_seconds_count{method=\"GET\",route=\"/buckets/{bucket}/keys/{key}\",status=\"404\"} 1")
        .contains("ringkv_http_requests_seconds_count{method=\"GET\",route=\"unmatched\",status=\"404\"} 1")
        .contains("ringkv_http_requests_seconds_sum{");
  }

  @Test
  void aStoreWithNoSpaceLeftIs507AndSaysSo() {
    KvStore full = new KvStore() {
      @Override
      public java.util.concurrent.CompletableFuture<GetResult> get(Key key, RequestOptions o) {
        throw new UnsupportedOperationException();
      }

      @Override
      public java.util.concurrent.CompletableFuture<io.ringkv.api.PutResult> put(Key key, Context c, Bytes v,
          RequestOptions o) {
        return java.util.concurrent.CompletableFuture.failedFuture(new java.util.concurrent.CompletionException(
            new io.ringkv.api.RingkvException(io.ringkv.api.ErrorCode.STORAGE_FULL, "no space left on the device")));
      }

      @Override
      public java.util.concurrent.CompletableFuture<io.ringkv.api.PutResult> delete(Key key, Context c,
          RequestOptions o) {
        throw new UnsupportedOperationException();
      }
    };
    try (HttpTester t = new HttpTester(full, cluster.view(), HttpSettings.DEFAULTS)) {
      assertJsonError(t.send(request(PUT, "/buckets/b/keys/k", "v")), 507, "no space left on the device");
    }
  }

  @Test
  void onlyARealBugIs500() {
    KvStore broken = new KvStore() {
      @Override
      public java.util.concurrent.CompletableFuture<GetResult> get(Key key, RequestOptions o) {
        throw new NullPointerException("bug");
      }

      @Override
      public java.util.concurrent.CompletableFuture<io.ringkv.api.PutResult> put(Key key, Context c, Bytes v,
          RequestOptions o) {
        return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("bug 2"));
      }

      @Override
      public java.util.concurrent.CompletableFuture<io.ringkv.api.PutResult> delete(Key key, Context c,
          RequestOptions o) {
        throw new UnsupportedOperationException();
      }
    };
    try (HttpTester t = new HttpTester(broken, cluster.view(), HttpSettings.DEFAULTS)) {
      assertJsonError(t.send(request(GET, "/buckets/b/keys/k")), 500, "internal error",
          "NullPointerException: bug");
      assertJsonError(t.send(request(PUT, "/buckets/b/keys/k", "v")), 500, "bug 2");
      assertThat(t.send(request(GET, "/health")).status().code()).isEqualTo(200);
    }
  }

  @Test
  void aPutAnswersItsWriteReceiptAndPwAndPrAreCheckedAndPassedOn() {
    FullHttpResponse ok = put("/buckets/b/keys/receipt", "v1");
    assertThat(ok.status().code()).isEqualTo(204);
    assertThat(PutResult.parseReceipt(ok.headers().get("X-Ringkv-Replicas")))
        .hasSizeGreaterThanOrEqualTo(2).extracting(ReplicaReceipt::role)
        .containsOnly(ReplicaReceipt.Role.PRIMARY);

    cluster.network.disconnect(NodeId.of("n3"));
    FullHttpResponse hinted = put("/buckets/b/keys/receipt", "v2");
    assertThat(hinted.status().code()).isEqualTo(204);
    assertThat(hinted.headers().get("X-Ringkv-Replicas")).contains("=hint(n3)")
        .doesNotContain("n3=primary");
    assertThat(body(get("/buckets/b/keys/receipt/replicas")))
        .contains("\"hints\":[{\"heldBy\":\"n1\",\"intendedFor\":\"n3\",\"versions\":[");

    assertJsonError(put("/buckets/b/keys/receipt?pw=3", "v3"), 503, "of PW=3 primaries acknowledged");
    assertThat(put("/buckets/b/keys/receipt?pw=2", "v3").status().code()).isEqualTo(204);
    assertJsonError(put("/buckets/b/keys/receipt?pw=x", "v"), 400, "query parameter pw='x' is not an integer");
    assertJsonError(put("/buckets/b/keys/receipt?pw=-1", "v"), 400, "0 <= pw <= n");
    assertJsonError(put("/buckets/b/keys/receipt?pw=4", "v"), 400, "pw=4 asks for more primaries");
    assertJsonError(get("/buckets/b/keys/receipt?pr=3"), 503, "of PR=3 primaries answered");
    assertThat(get("/buckets/b/keys/receipt?pr=2").status().code()).isEqualTo(300);
    assertJsonError(http.send(request(DELETE, "/buckets/b/keys/receipt?pw=3")), 503, "PW=3");
  }
}
