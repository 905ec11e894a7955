package io.ringkv.versioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Dot;
import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReconcilerTest {
  private static final NodeId N1 = NodeId.of("n1");
  private static final NodeId N2 = NodeId.of("n2");
  private static final NodeId N3 = NodeId.of("n3");
  private static final Actor A = new Actor(N1, 1);
  private static final Actor B = new Actor(N2, 1);

  private final Versioned<Bytes> v1 =
      Versioned.of(Bytes.utf8("v1"), new Dot(A, 1), VectorClock.empty(), 1);
  private final Versioned<Bytes> v2 =
      Versioned.of(Bytes.utf8("v2"), new Dot(A, 2), Siblings.of(v1).clock(), 2);
  private final Versioned<Bytes> w =
      Versioned.of(Bytes.utf8("w"), new Dot(B, 1), Siblings.of(v1).clock(), 3);

  @Test
  void noAnswersReconcileToNothing() {
    Reconciled r = Reconciler.reconcile(Map.of());

    assertThat(r.merged()).isEqualTo(Siblings.empty());
    assertThat(r.stale()).isEmpty();
    assertThat(r.consistent()).isTrue();
  }

  @Test
  void agreeingAnswersAreNotStale() {
    Siblings s = Siblings.of(v2);

    Reconciled r = Reconciler.reconcile(Map.of(N1, s, N2, s));

    assertThat(r.merged()).isEqualTo(s);
    assertThat(r.consistent()).isTrue();
  }

  @Test
  void anOlderAnswerAndAMissingOneAreStale() {
    Map<NodeId, Siblings> answers = new LinkedHashMap<>();
    answers.put(N3, Siblings.empty());
    answers.put(N1, Siblings.of(v1));
    answers.put(N2, Siblings.of(v2));

    Reconciled r = Reconciler.reconcile(answers);

    assertThat(r.merged().versions()).containsExactly(v2);
    assertThat(r.stale()).containsExactly(N1, N3);
  }

  @Test
  void concurrentAnswersAreBothStaleAndBothKept() {
    Reconciled r = Reconciler.reconcile(Map.of(N1, Siblings.of(v2), N2, Siblings.of(w)));

    assertThat(r.merged().versions()).containsExactly(v2, w);
    assertThat(r.stale()).containsExactly(N1, N2);
  }

  @Test
  void theStaleSetIsSortedAndUnmodifiable() {
    Reconciled r = new Reconciled(Siblings.empty(), Set.of(N3, N1, N2));

    assertThat(r.stale()).containsExactly(N1, N2, N3);
    assertThatThrownBy(() -> r.stale().add(NodeId.of("n4")))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> new Reconciled(null, Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aMissingAnswerIsRefusedNamingTheNode() {
    Map<NodeId, Siblings> answers = new HashMap<>();
    answers.put(N1, null);

    assertThatThrownBy(() -> Reconciler.reconcile(answers))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("answer of node n1 is missing");
  }
}
