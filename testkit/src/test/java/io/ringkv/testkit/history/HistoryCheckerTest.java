package io.ringkv.testkit.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Dot;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The checker must judge by history: a version that dominates a write it never read loses it. */
class HistoryCheckerTest {
  private final Key key = Key.of("b", "k");
  private final Actor n1 = new Actor(NodeId.of("n1"), 1);
  private final Dot a = new Dot(n1, 1);
  private final Dot b = new Dot(n1, 2);
  private final Versioned<Bytes> versionA =
      Versioned.of(Bytes.utf8("A"), a, VectorClock.empty(), 1);

  private History.Write acked(History h, String id, VectorClock ctx, Siblings read, Dot dot) {
    History.Write w = h.begin(id, key, false, ctx, read);
    h.acknowledged(w, ctx.with(dot, 0));
    return w;
  }

  @Test
  void aWriteThatReadTheEarlierOneMakesItSafe() {
    History h = new History();
    acked(h, "A", VectorClock.empty(), Siblings.empty(), a);
    h.observed(key, Siblings.of(versionA));
    VectorClock seen = versionA.clock();
    acked(h, "B", seen, Siblings.of(versionA), b);
    Siblings fin = Siblings.of(Versioned.of(Bytes.utf8("B"), b, seen, 2));
    assertThat(HistoryChecker.check(h, Map.of(key, fin))).isEmpty();
  }

  @Test
  void aWriteThatDominatesByClockWithoutHavingReadIsALostUpdate() {
    History h = new History();
    acked(h, "A", VectorClock.empty(), Siblings.empty(), a);
    // B's context covers A's dot (as a per-server clock would), but B's writer never read A.
    VectorClock forged = versionA.clock();
    acked(h, "B", forged, Siblings.empty(), b);
    Siblings fin = Siblings.of(Versioned.of(Bytes.utf8("B"), b, forged, 2));
    List<String> violations = HistoryChecker.check(h, Map.of(key, fin));
    assertThat(violations).hasSize(1);
    assertThat(violations.get(0)).contains("put A").contains("is lost");
  }

  @Test
  void safetyIsTransitiveThroughWritesThatAreThemselvesSafe() {
    History h = new History();
    acked(h, "A", VectorClock.empty(), Siblings.empty(), a);
    h.observed(key, Siblings.of(versionA));
    acked(h, "B", versionA.clock(), Siblings.of(versionA), b);
    Versioned<Bytes> versionB = Versioned.of(Bytes.utf8("B"), b, versionA.clock(), 2);
    h.observed(key, Siblings.of(versionB));
    Dot c = new Dot(n1, 3);
    acked(h, "C", versionB.clock(), Siblings.of(versionB), c);
    Siblings fin = Siblings.of(Versioned.of(Bytes.utf8("C"), c, versionB.clock(), 3));
    assertThat(HistoryChecker.check(h, Map.of(key, fin))).isEmpty();
  }

  @Test
  void aWriteWhoseEveryCopyTheTestDestroyedIsExcusedButWhatItReadIsNot() {
    History h = new History();
    acked(h, "A", VectorClock.empty(), Siblings.empty(), a);
    h.observed(key, Siblings.of(versionA));
    acked(h, "B", versionA.clock(), Siblings.of(versionA), b);
    List<String> violations = HistoryChecker.check(h, Map.of(key, Siblings.empty()), Set.of("B"));
    assertThat(violations).singleElement().asString().contains("put A").contains("is lost");
    assertThat(HistoryChecker.check(h, Map.of(key, Siblings.empty()), Set.of("A", "B")))
        .isEmpty();
  }

  @Test
  void theDotsOfADeleteAreFoundByItsContextAmongTheTombstonesSeen() {
    History h = new History();
    History.Write d = h.begin("D", key, true, versionA.clock(), Siblings.of(versionA));
    h.acknowledged(d, versionA.clock()); // the store handed back no new dot
    Versioned<Bytes> tomb = new Versioned<>(Bytes.EMPTY, b, versionA.clock(), 2, true);
    assertThat(h.dotsOf(d)).isEmpty();
    h.observed(key, Siblings.of(tomb));
    assertThat(h.dotsOf(d)).containsExactly(b);
  }

  @Test
  void aFinalValueNobodyWroteIsReported() {
    History h = new History();
    Siblings fin = Siblings.of(Versioned.of(Bytes.utf8("ghost"), a, VectorClock.empty(), 1));
    assertThat(HistoryChecker.check(h, Map.of(key, fin))).singleElement().asString()
        .contains("never written");
  }

  @Test
  void aFailedWriteThatVanishedIsNoViolation() {
    History h = new History();
    History.Write w = h.begin("A", key, false, VectorClock.empty(), Siblings.empty());
    h.failed(w);
    assertThat(HistoryChecker.check(h, Map.of(key, Siblings.empty()))).isEmpty();
  }

  @Test
  void anAcknowledgedDeleteWhoseTombstoneWasReapedIsSafeAndSoIsWhatItRead() {
    History h = new History();
    acked(h, "A", VectorClock.empty(), Siblings.empty(), a);
    h.observed(key, Siblings.of(versionA));
    History.Write d = h.begin("D", key, true, versionA.clock(), Siblings.of(versionA));
    h.acknowledged(d, versionA.clock().with(b, 0));
    Versioned<Bytes> tomb = new Versioned<>(Bytes.EMPTY, b, versionA.clock(), 2, true);
    h.reaped(key, Siblings.of(tomb));
    assertThat(HistoryChecker.check(h, Map.of(key, Siblings.empty()))).isEmpty();
  }
}
