package io.ringkv.transport.netty.client;

import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.PUT;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.ringkv.protocol.proto.ErrorCode;
import io.ringkv.protocol.proto.GetRequest;
import io.ringkv.protocol.proto.PutRequest;
import io.ringkv.protocol.proto.Request;
import io.ringkv.protocol.proto.Response;
import io.ringkv.transport.netty.SyncCluster;
import io.ringkv.transport.netty.http.HttpSettings;
import io.ringkv.transport.netty.http.HttpTester;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Both protocols answer a broken rule the same way: the same words, and the error code of the
 * binary protocol is the one the HTTP status stands for. One node, one cluster, both front ends.
 */
class SameRulesTest {
  private static final Map<ErrorCode, Integer> STATUS = Map.of(ErrorCode.INVALID_ARGUMENT, 400,
      ErrorCode.INVALID_QUORUM, 400, ErrorCode.INVALID_CONTEXT, 400, ErrorCode.TOO_LARGE, 413,
      ErrorCode.QUORUM_NOT_REACHED, 503);
  private static final Pattern ERROR = Pattern.compile("\\{\"error\":\"(.*)\"}");

  private final SyncCluster cluster = new SyncCluster();
  private final HttpTester http = new HttpTester(cluster.node(1).store(), cluster.view(),
      HttpSettings.DEFAULTS.withMaxValueBytes(100));
  private final ClientTester binary = new ClientTester(cluster.node(1).store(),
      cluster.clientView(), ClientSettings.DEFAULTS.withMaxValueBytes(100));
  private long ids;

  @AfterEach
  void close() {
    http.close();
    binary.close();
  }

  /** The HTTP error's message, and the binary one's, must be the same; the code its status's. */
  private void assertSame(FullHttpRequest viaHttp, Request.Builder viaBinary, ErrorCode code) {
    FullHttpResponse h = http.send(viaHttp);
    Response b = binary.call(viaBinary.setId(++ids).build());
    assertThat(b.getResultCase()).as(b.toString()).isEqualTo(Response.ResultCase.ERROR);
    assertThat(b.getError().getCode()).isEqualTo(code);
    assertThat(h.status().code()).isEqualTo(STATUS.get(code));
    Matcher m = ERROR.matcher(HttpTester.body(h));
    assertThat(m.matches()).as(HttpTester.body(h)).isTrue();
    String httpMessage = m.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
    assertThat(b.getError().getMessage()).isEqualTo(httpMessage);
  }

  private static Request.Builder get(GetRequest.Builder g) {
    return Request.newBuilder().setGet(g.setBucket("b"));
  }

  private static Request.Builder put(PutRequest.Builder p) {
    return Request.newBuilder().setPut(p.setBucket("b"));
  }

  @Test
  void r0() {
    assertSame(HttpTester.request(GET, "/buckets/b/keys/k?r=0"),
        get(GetRequest.newBuilder().setKey("k").setR(0)), ErrorCode.INVALID_QUORUM);
  }

  @Test
  void w0() {
    assertSame(HttpTester.request(PUT, "/buckets/b/keys/k?w=0", "v"),
        put(PutRequest.newBuilder().setKey("k").setW(0).setValue(ByteString.copyFromUtf8("v"))),
        ErrorCode.INVALID_QUORUM);
  }

  @Test
  void rAboveN() {
    assertSame(HttpTester.request(GET, "/buckets/b/keys/k?r=4"),
        get(GetRequest.newBuilder().setKey("k").setR(4)), ErrorCode.INVALID_QUORUM);
  }

  @Test
  void pwAboveN() {
    assertSame(HttpTester.request(PUT, "/buckets/b/keys/k?pw=4", "v"),
        put(PutRequest.newBuilder().setKey("k").setPw(4)
            .setValue(ByteString.copyFromUtf8("v"))), ErrorCode.INVALID_QUORUM);
  }

  @Test
  void aKeyOverTheLimit() {
    String key = "k".repeat(1025);
    assertSame(HttpTester.request(GET, "/buckets/b/keys/" + key),
        get(GetRequest.newBuilder().setKey(key)), ErrorCode.TOO_LARGE);
  }

  @Test
  void aValueOverTheLimit() {
    String value = "v".repeat(101);
    assertSame(HttpTester.request(PUT, "/buckets/b/keys/k", value),
        put(PutRequest.newBuilder().setKey("k").setValue(ByteString.copyFromUtf8(value))),
        ErrorCode.TOO_LARGE);
  }

  @Test
  void aQuorumNotReached() {
    cluster.network.disconnect(cluster.ids.get(1));
    cluster.network.disconnect(cluster.ids.get(2));
    assertSame(HttpTester.request(PUT, "/buckets/b/keys/k?w=3", "v"),
        put(PutRequest.newBuilder().setKey("k").setW(3).setValue(ByteString.copyFromUtf8("v"))),
        ErrorCode.QUORUM_NOT_REACHED);
  }

  @Test
  void aForgedContextIsRefusedForTheSameReasonNamingWhereItWas() {
    FullHttpRequest h = HttpTester.request(PUT, "/buckets/b/keys/k", "v");
    h.headers().set("X-Context", "Zm9yZ2Vk");
    String httpMessage = HttpTester.body(http.send(h));
    Response b = binary.call(put(PutRequest.newBuilder().setKey("k")
        .setValue(ByteString.copyFromUtf8("v"))
        .setContext(ByteString.copyFromUtf8("forged"))).setId(1).build());
    assertThat(b.getError().getCode()).isEqualTo(ErrorCode.INVALID_CONTEXT);
    assertThat(httpMessage).contains("X-Context header 'Zm9yZ2Vk' is not a context from a ringkv");
    assertThat(b.getError().getMessage())
        .startsWith("the context field 'Zm9yZ2Vk' is not a context from a ringkv");
    String reason = b.getError().getMessage().substring(
        b.getError().getMessage().indexOf("ringkv get:"));
    assertThat(httpMessage).contains(reason);
  }
}
