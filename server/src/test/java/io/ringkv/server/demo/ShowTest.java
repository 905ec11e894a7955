package io.ringkv.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.Dot;
import io.ringkv.api.GetResult;
import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import io.ringkv.versioning.ContextCodec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShowTest {
  private static final Actor N1 = new Actor(NodeId.of("n1"), 77);
  private static final Actor N2 = new Actor(NodeId.of("n2"), 5);

  @Test
  void aContextShowsTheEndsOfItsTokenAndItsClockByNode() {
    Context c = ContextCodec.encode(VectorClock.ofCounters(Map.of(N1, 3L, N2, 1L)));
    String token = c.encoded();
    assertThat(Show.context(c)).isEqualTo(token.substring(0, 6) + ".."
        + token.substring(token.length() - 6) + " {n1:3, n2:1}");
    assertThat(Show.context(Context.EMPTY)).isEqualTo("(empty)");
  }

  @Test
  void valuesAreQuotedWithCartItemsJoinedByCommas() {
    assertThat(Show.value(Bytes.utf8("apple\nbread"))).isEqualTo("\"apple, bread\"");
  }

  @Test
  void resultsShowNotFoundOneValueOrTheSiblings() {
    Versioned<Bytes> a = Versioned.of(Bytes.utf8("a"), new Dot(N1, 1), VectorClock.empty(), 0);
    Versioned<Bytes> b = Versioned.of(Bytes.utf8("b"), new Dot(N2, 1), VectorClock.empty(), 0);
    assertThat(Show.result(GetResult.notFound(Context.EMPTY))).isEqualTo("not found");
    assertThat(Show.result(new GetResult(List.of(a), Context.EMPTY))).isEqualTo("\"a\"");
    assertThat(Show.result(new GetResult(List.of(a, b), Context.EMPTY)))
        .isEqualTo("2 siblings [\"a\" | \"b\"]");
  }

  @Test
  void whatAReplicaHoldsNamesTheWritingNodeAndTheTime() {
    Versioned<Bytes> a = Versioned.of(Bytes.utf8("v1"), new Dot(N2, 1), VectorClock.empty(), 1_000L);
    assertThat(Show.held(Siblings.of(a))).isEqualTo("\"v1\" written via n2 at 00:00:01.000");
    assertThat(Show.held(Siblings.empty())).isEqualTo("nothing");
  }
}
