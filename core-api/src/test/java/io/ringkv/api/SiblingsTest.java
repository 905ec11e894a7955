package io.ringkv.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dotted-version-vector scenarios, spelled out: what plain vector clocks get wrong. */
class SiblingsTest {
  private static final Actor A = new Actor(NodeId.of("a"), 1);
  private static final Actor B = new Actor(NodeId.of("b"), 1);

  private static Versioned<Bytes> put(String value, Actor actor, long counter, VectorClock context) {
    return Versioned.of(Bytes.utf8(value), new Dot(actor, counter), context, counter);
  }

  private static VectorClock clock(Actor actor, long counter) {
    return VectorClock.ofCounters(Map.of(actor, counter));
  }

  @Test
  void twoPutsWithTheSameContextThroughTheSameActorAreBothKept() {
    Versioned<Bytes> first = put("v1", A, 1, VectorClock.empty());
    VectorClock context = Siblings.of(first).clock();
    Versioned<Bytes> x = put("x", A, 2, context);
    Versioned<Bytes> y = put("y", A, 3, context);

    Siblings s = Siblings.of(first).add(x).add(y);

    assertThat(s.versions()).containsExactly(x, y);
    assertThat(s.clock()).isEqualTo(clock(A, 3));
  }

  @Test
  void twoBlindPutsThroughTheSameActorAreBothKept() {
    Versioned<Bytes> x = put("x", A, 1, VectorClock.empty());
    Versioned<Bytes> y = put("y", A, 2, VectorClock.empty());

    assertThat(Siblings.of(x).add(y).versions()).containsExactly(x, y);
    assertThat(Siblings.of(y).add(x).versions()).containsExactly(x, y);
  }

  @Test
  void aPutWithTheClockOfBothSiblingsReplacesBoth() {
    Versioned<Bytes> x = put("x", A, 1, VectorClock.empty());
    Versioned<Bytes> y = put("y", B, 1, VectorClock.empty());
    Siblings both = Siblings.of(x, y);
    Versioned<Bytes> resolved = put("xy", A, 2, both.clock());

    assertThat(both.add(resolved).versions()).containsExactly(resolved);
  }

  @Test
  void aPutWithTheContextOfOneSiblingReplacesOnlyThatOne() {
    Versioned<Bytes> x = put("x", A, 1, VectorClock.empty());
    Versioned<Bytes> y = put("y", B, 1, VectorClock.empty());
    Versioned<Bytes> z = put("z", A, 2, Siblings.of(y).clock());

    assertThat(Siblings.of(x, y, z).versions()).containsExactly(x, z);
  }

  @Test
  void aTombstoneSupersedesTheValueItRead() {
    Versioned<Bytes> value = put("x", A, 1, VectorClock.empty());
    Versioned<Bytes> tombstone = new Versioned<>(Bytes.EMPTY, new Dot(B, 1),
        Siblings.of(value).clock(), 5L, true);

    Siblings s = Siblings.of(value).add(tombstone);

    assertThat(s.versions()).containsExactly(tombstone);
    assertThat(s.isDeleted()).isTrue();
    assertThat(s.live()).isEmpty();
  }

  @Test
  void aTombstoneConcurrentWithAValueLeavesTheValueLive() {
    Versioned<Bytes> value = put("x", A, 1, VectorClock.empty());
    Versioned<Bytes> tombstone = new Versioned<>(Bytes.EMPTY, new Dot(B, 1),
        VectorClock.empty(), 5L, true);

    Siblings s = Siblings.of(value, tombstone);

    assertThat(s.isDeleted()).isFalse();
    assertThat(s.live()).containsExactly(value);
  }

  @Test
  void aStaleReplicaMergedWithAFreshOneTakesTheFreshSet() {
    Versioned<Bytes> v1 = put("v1", A, 1, VectorClock.empty());
    Versioned<Bytes> v2 = put("v2", A, 2, Siblings.of(v1).clock());
    Siblings stale = Siblings.of(v1);
    Siblings fresh = Siblings.of(v1).add(v2);

    assertThat(stale.merge(fresh)).isEqualTo(fresh);
    assertThat(fresh.merge(stale)).isEqualTo(fresh);
    assertThat(fresh.contains(stale)).isTrue();
    assertThat(stale.contains(fresh)).isFalse();
  }

  @Test
  void aStaleReplicaWithAConcurrentWriteKeepsItBesideTheFreshOne() {
    Versioned<Bytes> v1 = put("v1", A, 1, VectorClock.empty());
    Versioned<Bytes> v2 = put("v2", A, 2, Siblings.of(v1).clock());
    Versioned<Bytes> other = put("w", B, 1, Siblings.of(v1).clock());

    Siblings merged = Siblings.of(v1, other).merge(Siblings.of(v2));

    assertThat(merged.versions()).containsExactly(v2, other);
  }

  @Test
  void theSameDotIsOneWrite() {
    Versioned<Bytes> x = put("x", A, 1, VectorClock.empty());

    assertThat(Siblings.of(x, x).versions()).containsExactly(x);
    assertThat(Siblings.of(x).add(x)).isEqualTo(Siblings.of(x));
  }

  @Test
  void aVersionCannotHaveSeenItsOwnDot() {
    assertThatThrownBy(() -> put("x", A, 2, clock(A, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be in its causal context");
  }

  @Test
  void twoVersionsWithTheSameDotButDifferentContextsMergeTheSameWayInEitherOrder() {
    Actor a = new Actor(NodeId.of("a"), 0);
    Actor b = new Actor(NodeId.of("b"), 0);
    Versioned<Bytes> x1 = Versioned.of(Bytes.utf8("v"), new Dot(a, 1), VectorClock.empty(), 0);
    Versioned<Bytes> x2 = Versioned.of(Bytes.utf8("v"), new Dot(a, 1),
        VectorClock.ofCounters(java.util.Map.of(b, 1L)), 0);
    org.assertj.core.api.Assertions.assertThat(Siblings.of(x1).merge(Siblings.of(x2)))
        .isEqualTo(Siblings.of(x2).merge(Siblings.of(x1)));
  }
}
