package io.ringkv.transport.netty.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.GetResult;
import io.ringkv.api.Key;
import io.ringkv.api.KvStore;
import io.ringkv.api.PutResult;
import io.ringkv.api.RequestOptions;
import io.ringkv.protocol.ClientMapping;
import io.ringkv.protocol.proto.DeleteRequest;
import io.ringkv.protocol.proto.ErrorCode;
import io.ringkv.protocol.proto.GetRequest;
import io.ringkv.protocol.proto.PutRequest;
import io.ringkv.protocol.proto.Request;
import io.ringkv.protocol.proto.Response;
import io.ringkv.protocol.proto.RingRequest;
import io.ringkv.protocol.proto.RingResponse;
import io.ringkv.protocol.proto.Version;
import io.ringkv.transport.netty.SyncCluster;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The binary client protocol of one connection on an {@code EmbeddedChannel}, frame by frame. */
class ClientProtocolTest {
  private final SyncCluster cluster = new SyncCluster();
  private final HeldStore store = new HeldStore(cluster.node(1).store());
  private final ClientTester client = new ClientTester(store, cluster.clientView(),
      ClientSettings.DEFAULTS.withMaxValueBytes(1000));

  @AfterEach
  void close() {
    client.close();
  }

  private static Request get(long id, String key) {
    return Request.newBuilder().setId(id)
        .setGet(GetRequest.newBuilder().setBucket("b").setKey(key)).build();
  }

  private static Request put(long id, String key, String value, ByteString context) {
    return Request.newBuilder().setId(id).setPut(PutRequest.newBuilder().setBucket("b")
        .setKey(key).setValue(ByteString.copyFromUtf8(value)).setContext(context)).build();
  }

  private static Request put(long id, String key, String value) {
    return put(id, key, value, ByteString.EMPTY);
  }

  private static List<String> values(Response r) {
    return r.getGet().getSiblingsList().stream().map(v -> v.getValue().toStringUtf8()).sorted()
        .collect(Collectors.toList());
  }

  private static void assertError(Response r, long id, ErrorCode code, String... fragments) {
    assertThat(r.getId()).isEqualTo(id);
    assertThat(r.getResultCase()).as(r.toString()).isEqualTo(Response.ResultCase.ERROR);
    assertThat(r.getError().getCode()).as(r.getError().getMessage()).isEqualTo(code);
    if (fragments.length > 0) {
      assertThat(r.getError().getMessage()).contains(fragments);
    }
    assertThat(r.getRingVersion()).isEqualTo(7);
  }

  @Test
  void aPutIsReadBackWithItsContextTimestampAndDotAndEveryAnswerCarriesTheRingVersion() {
    Response put = client.call(put(1, "k", "hello"));
    assertThat(put.getId()).isEqualTo(1);
    assertThat(put.getRingVersion()).isEqualTo(7);
    assertThat(put.getPut().getContext().isEmpty()).isFalse();
    assertThat(put.getPut().getReplicasList()).extracting(r -> r.getRole())
        .containsOnly("primary").hasSize(3);

    Response get = client.call(get(2, "k"));
    assertThat(get.getId()).isEqualTo(2);
    assertThat(values(get)).containsExactly("hello");
    Version v = get.getGet().getSiblings(0);
    assertThat(v.getTimestamp()).isPositive();
    assertThat(v.getDot().getActor().getNode()).as("the coordinator")
        .isEqualTo(cluster.ring.preferenceList(Key.of("b", "k"), 3).primaries().get(0).value());
    assertThat(get.getGet().getContext()).isEqualTo(put.getPut().getContext());
    GetResult direct = store.get(Key.of("b", "k")).join();
    assertThat(ClientMapping.fromProto(get.getGet())).isEqualTo(direct);
  }

  @Test
  void concurrentPutsAreSiblingsAndAPutWithTheirContextReplacesThem() {
    client.call(put(1, "cart", "alice"));
    client.call(put(2, "cart", "bob"));
    Response both = client.call(get(3, "cart"));
    assertThat(values(both)).containsExactly("alice", "bob");

    client.call(put(4, "cart", "alice+bob", both.getGet().getContext()));
    assertThat(values(client.call(get(5, "cart")))).containsExactly("alice+bob");
  }

  @Test
  void anAbsentKeyHasNoSiblingsAndADeleteWithoutContextDeletesWhatIsThere() {
    Response absent = client.call(get(1, "nothing"));
    assertThat(absent.getResultCase()).isEqualTo(Response.ResultCase.GET);
    assertThat(absent.getGet().getSiblingsCount()).isZero();

    client.call(put(2, "gone", "a"));
    client.call(put(3, "gone", "b"));
    Response deleted = client.call(Request.newBuilder().setId(4)
        .setDelete(DeleteRequest.newBuilder().setBucket("b").setKey("gone")).build());
    assertThat(deleted.getResultCase()).isEqualTo(Response.ResultCase.DELETE);
    assertThat(deleted.getDelete().getReplicasCount()).isEqualTo(3);
    assertThat(client.call(get(5, "gone")).getGet().getSiblingsCount()).isZero();
  }

  @Test
  void aDeleteWithAContextDeletesOnlyWhatItCovers() {
    ByteString first = client.call(put(1, "k", "old")).getPut().getContext();
    client.call(put(2, "k", "concurrent"));
    client.call(Request.newBuilder().setId(3).setDelete(DeleteRequest.newBuilder()
        .setBucket("b").setKey("k").setContext(first)).build());
    assertThat(values(client.call(get(4, "k")))).containsExactly("concurrent");
  }

  @Test
  void theRingNamesEveryPartitionsOwnerEveryNodesClientAddressAndTheBucketsN() {
    RingResponse ring = client.call(Request.newBuilder().setId(9)
        .setRing(RingRequest.getDefaultInstance()).build()).getRing();
    assertThat(ring.getVersion()).isEqualTo(7);
    assertThat(ring.getOwnersList()).hasSize(16)
        .isEqualTo(cluster.ring.owners().stream().map(n -> n.value()).toList());
    assertThat(ring.getNodesList()).extracting(n -> n.getId() + "@" + n.getHost() + ":"
        + n.getClientPort() + (n.getUp() ? " up" : " down"))
        .containsExactly("n1@127.0.0.1:8101 up", "n2@127.0.0.1:8102 up", "n3@127.0.0.1:8103 up");
    assertThat(ring.getDefaultN()).isEqualTo(3);
    assertThat(ring.getBucketNMap()).isEqualTo(Map.of("scores", 3));
  }

  @Test
  void pipelinedRequestsAreAnsweredAsTheyFinishNotInTheOrderSent() {
    CompletableFuture<Void> slow = store.hold("slow");
    assertThat(client.send(get(1, "slow"))).isEmpty();
    List<Response> fast = client.send(put(2, "fast", "v"));
    assertThat(fast).extracting(Response::getId).containsExactly(2L);
    slow.complete(null);
    assertThat(client.responses()).extracting(Response::getId).containsExactly(1L);
  }

  @Test
  void manyRequestsInOneWriteAreEachAnswered() {
    byte[] a = ClientTester.frame(put(1, "x", "1").toByteArray());
    byte[] b = ClientTester.frame(put(2, "y", "2").toByteArray());
    byte[] c = ClientTester.frame(get(3, "x").toByteArray());
    byte[] all = new byte[a.length + b.length + c.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    System.arraycopy(c, 0, all, a.length + b.length, c.length);
    List<Response> r = client.sendRaw(all);
    assertThat(r).extracting(Response::getId).containsExactly(1L, 2L, 3L);
    assertThat(values(r.get(2))).containsExactly("1");
  }

  @Test
  void aFrameArrivingByteByByteIsReadWhole() {
    byte[] f = ClientTester.frame(put(1, "k", "v").toByteArray());
    for (int i = 0; i < f.length - 1; i++) {
      assertThat(client.sendRaw(new byte[] {f[i]})).isEmpty();
    }
    assertThat(client.sendRaw(new byte[] {f[f.length - 1]})).hasSize(1);
  }

  @Test
  void garbageIsAnsweredWithAProtocolErrorOfId0AndTheConnectionGoesOn() {
    byte[] garbage = "this is not protobuf at all".getBytes(StandardCharsets.UTF_8);
    List<Response> r = client.sendRaw(ClientTester.frame(garbage));
    assertThat(r).hasSize(1);
    assertError(r.get(0), 0, ErrorCode.PROTOCOL, "not a request");
    assertThat(client.server.isActive()).isTrue();
    assertThat(client.call(put(5, "k", "v")).getResultCase()).isEqualTo(Response.ResultCase.PUT);
  }

  @Test
  void aFrameOverTheLimitIsSkippedAndAnsweredWithItsIdAndTheNextFrameIsRead() {
    int limit = ClientSettings.DEFAULTS.withMaxValueBytes(1000).maxFrameBytes();
    byte[] big = ClientTester.frame(put(42, "k", "x".repeat(limit + 10)).toByteArray());
    // In pieces, as a socket delivers it: the frame is never held whole.
    List<Response> answers = new ArrayList<>();
    for (int at = 0; at < big.length; at += 8192) {
      answers.addAll(client.sendRaw(Arrays.copyOfRange(big, at, Math.min(big.length, at + 8192))));
    }
    assertThat(answers).hasSize(1);
    assertError(answers.get(0), 42, ErrorCode.TOO_LARGE, "over this node's limit of " + limit);
    assertThat(client.call(get(43, "k")).getGet().getSiblingsCount()).isZero();
    assertThat(client.call(put(44, "k", "small")).getResultCase())
        .isEqualTo(Response.ResultCase.PUT);
  }

  @Test
  void aValueOverTheLimitInAFrameUnderItIsRefusedWithTheSameWordsAsHttp() {
    Response r = client.call(put(1, "k", "x".repeat(1001)));
    assertError(r, 1, ErrorCode.TOO_LARGE, "value of 1001 bytes exceeds the limit of 1000 bytes");
    assertThat(store.get(Key.of("b", "k")).join().isFound()).isFalse();
  }

  @Test
  void aRequestOfAnUnknownOperationIsAnsweredAndTheConnectionGoesOn() {
    // An operation of a newer protocol: field 15, which this node does not know.
    Request future = Request.newBuilder().setId(3).setUnknownFields(UnknownFieldSet.newBuilder()
        .addField(15, UnknownFieldSet.Field.newBuilder()
            .addLengthDelimited(ByteString.copyFromUtf8("?")).build()).build()).build();
    assertError(client.call(future), 3, ErrorCode.PROTOCOL, "request 3 names no operation");
    assertThat(client.call(get(4, "k")).getResultCase()).isEqualTo(Response.ResultCase.GET);
  }

  @Test
  void anIdStillInFlightIsRefusedAndTheFirstRequestOfItIsStillAnswered() {
    CompletableFuture<Void> slow = store.hold("slow");
    assertThat(client.send(get(7, "slow"))).isEmpty();
    assertError(client.call(put(7, "other", "v")), 7, ErrorCode.PROTOCOL,
        "request id 7 is already in flight");
    assertThat(store.get(Key.of("b", "other")).join().isFound()).isFalse();
    slow.complete(null);
    Response first = client.responses().get(0);
    assertThat(first.getId()).isEqualTo(7);
    assertThat(first.getResultCase()).isEqualTo(Response.ResultCase.GET);
    // Answered, the id is free again.
    assertThat(client.call(put(7, "other", "v")).getResultCase())
        .isEqualTo(Response.ResultCase.PUT);
  }

  @Test
  void id0IsReserved() {
    assertError(client.call(get(0, "k")), 0, ErrorCode.PROTOCOL, "request id 0 is reserved");
  }

  @Test
  void aContextThatRingkvDidNotIssueIsRefusedNamingTheField() {
    Response r = client.call(put(1, "k", "v", ByteString.copyFromUtf8("forged")));
    assertError(r, 1, ErrorCode.INVALID_CONTEXT, "the context field", "is not a context from a "
        + "ringkv get");
    assertThat(store.get(Key.of("b", "k")).join().isFound()).isFalse();
  }

  @Test
  void aQuorumThatIsNotReachedSaysKOfW() {
    cluster.network.disconnect(cluster.ids.get(1));
    cluster.network.disconnect(cluster.ids.get(2));
    Response r = client.call(Request.newBuilder().setId(1).setPut(PutRequest.newBuilder()
        .setBucket("b").setKey("k").setValue(ByteString.copyFromUtf8("v")).setW(3)).build());
    assertError(r, 1, ErrorCode.QUORUM_NOT_REACHED);
    assertThat(r.getError().getQuorum()).isEqualTo("W");
    assertThat(r.getError().getRequired()).isEqualTo(3);
    assertThat(r.getError().getAchieved()).isEqualTo(1);
  }

  @Test
  void aConnectionWithTooManyRequestsInFlightIsNotReadUntilHalfAreAnswered() {
    CompletableFuture<Void> slow = store.hold("slow");
    for (int i = 1; i <= ClientProtocolHandler.MAX_IN_FLIGHT; i++) {
      client.send(get(i, "slow"));
    }
    assertThat(client.server.config().isAutoRead()).isFalse();
    slow.complete(null);
    assertThat(client.responses()).hasSize(ClientProtocolHandler.MAX_IN_FLIGHT);
    assertThat(client.server.config().isAutoRead()).isTrue();
  }

  @Test
  void everyRequestIsCountedByOperationAndOutcome() {
    client.call(put(1, "k", "v"));
    client.call(get(2, "k"));
    client.call(put(3, "k", "x".repeat(1001)));
    client.sendRaw(ClientTester.frame(new byte[] {(byte) 0xff}));
    assertThat(count("put", "ok")).isEqualTo(1);
    assertThat(count("get", "ok")).isEqualTo(1);
    assertThat(count("put", "too_large")).isEqualTo(1);
    assertThat(count("malformed", "protocol")).isEqualTo(1);
  }

  private long count(String op, String outcome) {
    var timer = client.registry.find(ClientMetrics.NAME).tag("op", op).tag("outcome", outcome)
        .timer();
    return timer == null ? 0 : timer.count();
  }

  /** The node's store, with the reads of chosen keys held until the test lets them go. */
  static final class HeldStore implements KvStore {
    private final KvStore store;
    private final Map<String, CompletableFuture<Void>> held = new ConcurrentHashMap<>();

    HeldStore(KvStore store) {
      this.store = store;
    }

    CompletableFuture<Void> hold(String key) {
      return held.computeIfAbsent(key, k -> new CompletableFuture<>());
    }

    @Override
    public CompletableFuture<GetResult> get(Key key, RequestOptions options) {
      CompletableFuture<Void> gate = held.getOrDefault(key.key(), CompletableFuture.completedFuture(null));
      return gate.thenCompose(x -> store.get(key, options));
    }

    @Override
    public CompletableFuture<PutResult> put(Key key, Context context, Bytes value,
        RequestOptions options) {
      return store.put(key, context, value, options);
    }

    @Override
    public CompletableFuture<PutResult> delete(Key key, Context context, RequestOptions options) {
      return store.delete(key, context, options);
    }
  }
}
