package io.ringkv.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.Dot;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.GetResult;
import io.ringkv.api.NodeId;
import io.ringkv.api.PutResult;
import io.ringkv.api.QuorumNotReachedException;
import io.ringkv.api.ReplicaReceipt;
import io.ringkv.api.RingkvException;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import io.ringkv.protocol.proto.Clock;
import io.ringkv.protocol.proto.ClockEntry;
import io.ringkv.protocol.proto.PutResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ClientMappingTest {
  private static final Actor A = new Actor(NodeId.of("n1"), 3);
  private static final Actor B = new Actor(NodeId.of("n2"), 1);

  @Test
  void aGetResultWithSiblingsSurvivesTheWire() {
    VectorClock seen = VectorClock.ofCounters(Map.of(A, 2L, B, 5L));
    GetResult r = new GetResult(List.of(
        Versioned.of(Bytes.utf8("alice"), new Dot(A, 3), seen, 1_700_000_000_000L),
        Versioned.of(Bytes.EMPTY, new Dot(B, 6), VectorClock.empty(), 1_700_000_000_001L)),
        new Context(Bytes.utf8("opaque")));
    assertThat(ClientMapping.fromProto(ClientMapping.toProto(r))).isEqualTo(r);
  }

  @Test
  void aPutResultWithItsReceiptSurvivesTheWire() {
    PutResult r = new PutResult(new Context(Bytes.utf8("ctx")), List.of(
        new ReplicaReceipt(NodeId.of("n1"), ReplicaReceipt.Role.PRIMARY, null),
        new ReplicaReceipt(NodeId.of("n4"), ReplicaReceipt.Role.FALLBACK, NodeId.of("n2"))));
    assertThat(ClientMapping.fromProto(ClientMapping.toProto(r))).isEqualTo(r);
  }

  @Test
  void aReceiptOfAnUnknownRoleIsRefusedByName() {
    PutResponse bad = PutResponse.newBuilder().addReplicas(
        io.ringkv.protocol.proto.ReplicaReceipt.newBuilder().setNode("n1").setRole("boss")).build();
    assertThatThrownBy(() -> ClientMapping.fromProto(bad)).hasMessageContaining("'boss'");
  }

  @Test
  void aClockNamingAnActorTwiceIsRefused() {
    ClockEntry e = ClockEntry.newBuilder().setActor(io.ringkv.protocol.proto.Actor.newBuilder()
        .setNode("n1").setEpoch(1)).setCounter(1).build();
    assertThatThrownBy(() -> ClientMapping.fromProto(Clock.newBuilder().addEntries(e)
        .addEntries(e).build())).hasMessageContaining("twice");
  }

  @Test
  void aQuorumNotReachedKeepsItsCountsBothWays() {
    QuorumNotReachedException q = new QuorumNotReachedException("delete", "W", 3, 1);
    io.ringkv.protocol.proto.Error e = ClientMapping.toProto(new CompletionException(q));
    assertThat(e.getCode()).isEqualTo(io.ringkv.protocol.proto.ErrorCode.QUORUM_NOT_REACHED);
    assertThat(e.getQuorum()).isEqualTo("W");
    assertThat(e.getRequired()).isEqualTo(3);
    assertThat(e.getAchieved()).isEqualTo(1);
    RingkvException back = ClientMapping.fromProto(e, "delete");
    assertThat(back).isInstanceOf(QuorumNotReachedException.class).hasMessage(q.getMessage());
  }

  @Test
  void everyCodeMapsBackToItselfAndWhatAClientDoesNotKnowIsInternal() {
    for (ErrorCode code : ErrorCode.values()) {
      ErrorCode back = ClientMapping.fromProto(ClientMapping.toProto(code));
      boolean nodeOnly = code == ErrorCode.CONFIG || code == ErrorCode.PLUGIN;
      assertThat(back).as(code.name()).isEqualTo(nodeOnly ? ErrorCode.INTERNAL : code);
    }
    assertThat(ClientMapping.fromProto(io.ringkv.protocol.proto.ErrorCode.UNRECOGNIZED))
        .isEqualTo(ErrorCode.INTERNAL);
    assertThat(ClientMapping.fromProto(io.ringkv.protocol.proto.ErrorCode.PROTOCOL))
        .isEqualTo(ErrorCode.INVALID_ARGUMENT);
  }

  @Test
  void aFailureThatIsNoRingkvErrorIsInternalAndSaysWhat() {
    io.ringkv.protocol.proto.Error e = ClientMapping.toProto(new IllegalStateException("boom"));
    assertThat(e.getCode()).isEqualTo(io.ringkv.protocol.proto.ErrorCode.INTERNAL);
    assertThat(e.getMessage()).contains("boom");
  }
}
