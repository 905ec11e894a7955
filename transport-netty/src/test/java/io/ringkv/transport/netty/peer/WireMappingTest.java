package io.ringkv.transport.netty.peer;

import static io.ringkv.transport.netty.Versions.actor;
import static io.ringkv.transport.netty.Versions.version;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.GetResult;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.PutResult;
import io.ringkv.api.QuorumNotReachedException;
import io.ringkv.api.ReplicaReceipt;
import io.ringkv.api.RequestOptions;
import io.ringkv.api.RingkvException;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import io.ringkv.replication.api.ReplicaRequest;
import io.ringkv.replication.api.ReplicaResponse;
import io.ringkv.testkit.SealedSamples;
import io.ringkv.transport.netty.Versions;
import io.ringkv.transport.netty.internal.proto.ClockEntry;
import io.ringkv.transport.netty.internal.proto.Envelope;
import io.ringkv.transport.netty.internal.proto.KeyVersions;
import io.ringkv.transport.netty.internal.proto.KeysFetched;
import io.ringkv.transport.netty.internal.proto.Response;
import io.ringkv.transport.netty.internal.proto.Version;
import io.ringkv.versioning.ContextCodec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class WireMappingTest {
  private static final NodeId FROM = NodeId.of("10.0.0.1:7000");
  private static final Actor A = actor("n1", 7);
  private static final Actor B = actor("n2", 0);
  private static final Key KEY = Key.of("carts", "alice/ünïcode key");
  private static final Key OTHER = Key.of("carts", "bob");
  /** Tokens and hashes use all 64 bits: the sign bit, zero and both extremes must survive. */
  private static final List<Long> TOKENS = List.of(0x9e3779b97f4a7c15L, -1L, 0L,
      Long.MIN_VALUE, Long.MAX_VALUE, 42L);

  private static final Versioned<Bytes> V1 = version("one", A, 1, VectorClock.empty(), 100);
  private static final Versioned<Bytes> V2 = version("two", B, 3, VectorClock.ofCounters(
      Map.of(A, 1L)), 200);
  private static final Versioned<Bytes> V3 = new Versioned<>(Bytes.EMPTY, new io.ringkv.api.Dot(A, 2),
      VectorClock.empty(), -5, true);

  /** Encodes to bytes and parses back, as the wire does. */
  private static Frame roundTrip(Frame frame) throws Exception {
    byte[] wire = WireMapping.toEnvelope(frame).toByteArray();
    return WireMapping.fromEnvelope(Envelope.parseFrom(wire));
  }

  private static ReplicaRequest roundTrip(ReplicaRequest request) throws Exception {
    Frame.Request back = (Frame.Request) roundTrip(new Frame.Request(42, FROM, request));
    assertThat(back.id()).isEqualTo(42);
    assertThat(back.from()).isEqualTo(FROM);
    return back.request();
  }

  private static ReplicaResponse roundTrip(ReplicaResponse response) throws Exception {
    Frame.Response back = (Frame.Response) roundTrip(new Frame.Response(-1L, response));
    assertThat(back.id()).as("correlation ids are unsigned 64-bit").isEqualTo(-1L);
    return back.response();
  }

  static Stream<ReplicaRequest> requests() {
    Siblings siblings = Siblings.of(V1, V2, V3);
    return Stream.of(
        new ReplicaRequest.Fetch(KEY),
        new ReplicaRequest.Store(KEY, siblings),
        new ReplicaRequest.Store(KEY, Siblings.empty()),
        new ReplicaRequest.Reap(KEY, Siblings.of(V3)),
        new ReplicaRequest.StoreHint(KEY, siblings, NodeId.of("n3")),
        new ReplicaRequest.FetchHints(KEY),
        new ReplicaRequest.CoordinatePut(KEY, VectorClock.empty(), Bytes.utf8("p"), false,
            new RequestOptions(0, 2, 1, 2, null)),
        new ReplicaRequest.CoordinateGet(KEY, new RequestOptions(2, 0, 3, 0, null)),
        new ReplicaRequest.CoordinateGet(KEY, RequestOptions.DEFAULT),
        new ReplicaRequest.CoordinateGet(KEY, new RequestOptions(3, 0, Duration.ofMillis(1500))),
        new ReplicaRequest.CoordinatePut(KEY, siblings.clock(),
            Bytes.of(new byte[] {0, -1, 127, -128}), false, new RequestOptions(0, 1, null)),
        new ReplicaRequest.CoordinatePut(KEY, VectorClock.empty(), Bytes.EMPTY, true,
            RequestOptions.DEFAULT),
        new ReplicaRequest.TreeLevel(0, 3, 0, List.of(0)),
        new ReplicaRequest.TreeLevel(Integer.MAX_VALUE, 5, 1, List.of(7, 0, 1023, 3)),
        new ReplicaRequest.TreeLevel(17, 3, 2, List.of()),
        new ReplicaRequest.SegmentEntries(63, 3, List.of(1_048_575, 0, 12)),
        new ReplicaRequest.FetchTokens(63, 3, TOKENS),
        new ReplicaRequest.StoreMany(Map.of(KEY, siblings, OTHER, Siblings.of(V3))),
        new ReplicaRequest.StoreMany(Map.of(OTHER, Siblings.empty())),
        new ReplicaRequest.FindHints(List.of(KEY, OTHER, Key.of("users", "x"))),
        new ReplicaRequest.PartitionSizes());
  }

  @ParameterizedTest
  @MethodSource("requests")
  void everyRequestSurvivesTheWire(ReplicaRequest request) throws Exception {
    assertThat(roundTrip(request)).isEqualTo(request);
  }

  /**
   * Every permitted subtype of the sealed messages has a branch in WireMapping (Java 17 has no
   * exhaustive pattern switch; the chains end in an AssertionError): a new message type that is
   * not mapped fails here.
   */
  @Test
  void everyPermittedMessageTypeIsMapped() throws Exception {
    SealedSamples samples = SealedSamples.standard();
    for (ReplicaRequest request : samples.oneOfEach(ReplicaRequest.class)) {
      assertThat(roundTrip(request)).as(request.kind()).isEqualTo(request);
    }
    for (ReplicaResponse response : samples.oneOfEach(ReplicaResponse.class)) {
      assertThat(roundTrip(response)).as(response.getClass().getSimpleName()).isEqualTo(response);
    }
  }

  static Stream<ReplicaResponse> responses() {
    return Stream.of(
        new ReplicaResponse.Fetched(Siblings.of(V1, V2)),
        new ReplicaResponse.Fetched(Siblings.empty()),
        new ReplicaResponse.Stored(),
        new ReplicaResponse.Reaped(true),
        new ReplicaResponse.Reaped(false),
        new ReplicaResponse.GetDone(new GetResult(List.of(V2, V1),
            ContextCodec.encode(V1.clock().merge(V2.clock())))),
        new ReplicaResponse.GetDone(GetResult.notFound(Context.EMPTY)),
        new ReplicaResponse.PutDone(PutResult.of(ContextCodec.encode(V1.clock()))),
        new ReplicaResponse.PutDone(new PutResult(ContextCodec.encode(V1.clock()), List.of(
            ReplicaReceipt.primary(NodeId.of("n1")), ReplicaReceipt.fallback(NodeId.of("n4"),
                NodeId.of("n3")), ReplicaReceipt.hint(NodeId.of("n1"), NodeId.of("n2"))))),
        new ReplicaResponse.HintsFetched(Map.of()),
        new ReplicaResponse.HintsFetched(Map.of(NodeId.of("n3"), Siblings.of(V1, V2),
            NodeId.of("n2"), Siblings.of(V3))),
        ReplicaResponse.Failed.of(new QuorumNotReachedException("put", "PW", 2, 1)),
        ReplicaResponse.Failed.of(new QuorumNotReachedException("put", 2, 1)),
        ReplicaResponse.Failed.of(new RingkvException(ErrorCode.INVALID_QUORUM, "r + w > n")),
        new ReplicaResponse.TreeHashes(List.of(-1L, 0L, 0x0123456789abcdefL, Long.MIN_VALUE)),
        new ReplicaResponse.TreeEntries(TOKENS, List.of(5L, -6L, 7L, 0L, Long.MAX_VALUE, -1L)),
        new ReplicaResponse.TreeEntries(List.of(), List.of()),
        new ReplicaResponse.KeysFetched(Map.of(KEY, Siblings.of(V1, V2), OTHER, Siblings.of(V3)),
            List.of(Long.MIN_VALUE, 99L)),
        new ReplicaResponse.KeysFetched(Map.of(KEY, Siblings.of(V1, V2, V3)), List.of()),
        new ReplicaResponse.KeysHinted(List.of(OTHER, KEY)),
        new ReplicaResponse.Sizes(List.of(0, 5, 63), List.of(3, 3, 5),
            List.of(120L, 0L, Long.MAX_VALUE), List.of(12_000L, 0L, 1L << 40)),
        new ReplicaResponse.Sizes(List.of(), List.of(), List.of(), List.of()));
  }

  @ParameterizedTest
  @MethodSource("responses")
  void everyResponseSurvivesTheWire(ReplicaResponse response) throws Exception {
    assertThat(roundTrip(response)).isEqualTo(response);
  }

  @Test
  void siblingOrderOfAResolvedGetIsKept() throws Exception {
    GetResult r = new GetResult(List.of(V2, V1), Context.EMPTY);
    ReplicaResponse.GetDone back = (ReplicaResponse.GetDone) roundTrip(new ReplicaResponse.GetDone(r));
    assertThat(back.result().siblings()).containsExactly(V2, V1);
  }

  @Test
  void aQuorumFailureComesBackAsTheSameException() throws Exception {
    ReplicaResponse.Failed f = (ReplicaResponse.Failed) roundTrip(
        ReplicaResponse.Failed.of(new QuorumNotReachedException("get", 2, 1)));
    RingkvException e = f.toException();
    assertThat(e).isInstanceOf(QuorumNotReachedException.class)
        .hasMessageContaining("1 of R=2");
  }

  @Test
  void gossipPayloadsArePassedThroughUntouched() throws Exception {
    byte[] payload = {9, 8, 7, 0, -3};
    Frame.GossipRequest req = (Frame.GossipRequest) roundTrip(new Frame.GossipRequest(5, payload));
    assertThat(req.payload()).containsExactly(payload);
    Frame.GossipResponse resp = (Frame.GossipResponse) roundTrip(new Frame.GossipResponse(6, new byte[0]));
    assertThat(resp.id()).isEqualTo(6);
    assertThat(resp.payload()).isEmpty();
  }

  @Test
  void subMillisecondTimeoutsRoundUpRatherThanVanish() throws Exception {
    ReplicaRequest.CoordinateGet back = (ReplicaRequest.CoordinateGet) roundTrip(
        new ReplicaRequest.CoordinateGet(KEY, new RequestOptions(0, 0, Duration.ofNanos(10))));
    assertThat(back.options().timeout()).isEqualTo(Duration.ofMillis(1));
  }

  @Test
  void aVersionWhoseDotIsInItsOwnContextIsMalformed() {
    Envelope e = Envelope.newBuilder().setCorrelationId(9).setResponse(Response.newBuilder()
        .setFetched(io.ringkv.transport.netty.internal.proto.Fetched.newBuilder().addSiblings(
            Version.newBuilder().setDot(WireMapping.toProto(new io.ringkv.api.Dot(A, 2)))
                .setContext(io.ringkv.transport.netty.internal.proto.Clock.newBuilder()
                    .addEntries(ClockEntry.newBuilder().setActor(WireMapping.toProto(A))
                        .setCounter(5)))))).build();
    Frame f = WireMapping.fromEnvelope(e);
    assertThat(f).isInstanceOf(Frame.Malformed.class);
    Frame.Malformed m = (Frame.Malformed) f;
    assertThat(m.id()).isEqualTo(9);
    assertThat(m.isRequest()).isFalse();
    assertThat(m.reason()).contains("cannot be in its causal context");
  }

  @Test
  void aRequestWithAnEmptyKeyIsAMalformedRequest() {
    Envelope e = WireMapping.toEnvelope(new Frame.Request(3, FROM, new ReplicaRequest.Fetch(KEY)))
        .toBuilder().setRequest(WireMapping.toProto(FROM, new ReplicaRequest.Fetch(KEY))
            .toBuilder().setFetch(io.ringkv.transport.netty.internal.proto.Fetch.newBuilder()
                .setKey(io.ringkv.transport.netty.internal.proto.Key.newBuilder()
                    .setBucket("b")))).build();
    Frame.Malformed m = (Frame.Malformed) WireMapping.fromEnvelope(e);
    assertThat(m.isRequest()).isTrue();
    assertThat(m.reason()).contains("key must not be empty");
  }

  /** uint32 on the wire, int in the records: a negative int comes back as 2^32 - 1, refused. */
  @Test
  void aNegativePartitionOrIndexIsAMalformedRequest() {
    for (ReplicaRequest bad : List.<ReplicaRequest>of(
        new ReplicaRequest.TreeLevel(-1, 3, 1, List.of(0, 1)),
        new ReplicaRequest.TreeLevel(4, 3, 1, List.of(0, Integer.MIN_VALUE)),
        new ReplicaRequest.SegmentEntries(4, -3, List.of(2)),
        new ReplicaRequest.FetchTokens(-7, 3, TOKENS))) {
      Frame f = WireMapping.fromEnvelope(WireMapping.toEnvelope(new Frame.Request(8, FROM, bad)));
      assertThat(f).as(bad.toString()).isInstanceOf(Frame.Malformed.class);
      Frame.Malformed m = (Frame.Malformed) f;
      assertThat(m.id()).isEqualTo(8);
      assertThat(m.isRequest()).isTrue();
      assertThat(m.reason()).contains("is out of range");
    }
  }

  @Test
  void treeEntriesWithMoreTokensThanLeavesOrAKeyTwiceAreMalformedResponses() {
    Envelope uneven = Envelope.newBuilder().setCorrelationId(4).setResponse(Response.newBuilder()
        .setTreeEntries(io.ringkv.transport.netty.internal.proto.TreeEntries.newBuilder()
            .addAllTokens(List.of(1L, 2L)).addLeaves(3L))).build();
    Frame.Malformed m = (Frame.Malformed) WireMapping.fromEnvelope(uneven);
    assertThat(m.isRequest()).isFalse();
    assertThat(m.reason()).contains("2 tokens with 1 leaves");

    KeyVersions entry = KeyVersions.newBuilder().setKey(WireMapping.toProto(KEY))
        .addVersions(WireMapping.toProto(V1)).build();
    Envelope twice = Envelope.newBuilder().setCorrelationId(5).setResponse(Response.newBuilder()
        .setKeysFetched(KeysFetched.newBuilder().addEntries(entry).addEntries(entry))).build();
    assertThat(((Frame.Malformed) WireMapping.fromEnvelope(twice)).reason())
        .contains("twice");
  }

  @Test
  void anEnvelopeWithoutBodyOrAnUnknownErrorCodeIsHandledWithoutThrowing() {
    assertThat(WireMapping.fromEnvelope(Envelope.newBuilder().setCorrelationId(1).build()))
        .isInstanceOf(Frame.Malformed.class);
    Envelope unknownCode = Envelope.newBuilder().setResponse(Response.newBuilder().setFailed(
        io.ringkv.transport.netty.internal.proto.Failed.newBuilder().setCode("FROM_THE_FUTURE")
            .setMessage("m"))).build();
    ReplicaResponse.Failed f = (ReplicaResponse.Failed)
        ((Frame.Response) WireMapping.fromEnvelope(unknownCode)).response();
    assertThat(f.code()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(f.message()).isEqualTo("m");
  }

  static LongStream seeds() {
    return LongStream.range(0, 200);
  }

  /** Property: any reconciled sibling set (any clocks, epochs, timestamps, bytes) round-trips. */
  @ParameterizedTest
  @MethodSource("seeds")
  void randomSiblingSetsRoundTrip(long seed) throws Exception {
    List<Versioned<Bytes>> history = Versions.history(seed);
    Siblings siblings = Siblings.of(history);
    assertThat(roundTrip(new ReplicaRequest.Store(KEY, siblings)))
        .isEqualTo(new ReplicaRequest.Store(KEY, siblings));
    ReplicaResponse.Fetched back = (ReplicaResponse.Fetched) roundTrip(
        new ReplicaResponse.Fetched(siblings));
    // Equal as sets; also each version's clock entries, timestamps included, survive.
    assertThat(back.siblings().versions()).hasSameSizeAs(siblings.versions());
    for (int i = 0; i < siblings.size(); i++) {
      Versioned<Bytes> sent = siblings.versions().get(i);
      Versioned<Bytes> got = back.siblings().versions().get(i);
      assertThat(got).isEqualTo(sent);
      assertThat(got.context().entries()).isEqualTo(sent.context().entries());
    }
  }
}
