package io.ringkv.versioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;
import org.quicktheories.impl.Constraint;

/** Reconciliation over the replicas of simulated keys ({@link SimulatedKey}). */
class ReconcilerPropertiesTest {
  private static final Gen<Long> SEEDS = in -> in.next(Constraint.none());

  private static QuickTheory theory() {
    return qt().withFixedSeed(0x4ec0_c11eL).withExamples(800).withShrinkCycles(20);
  }

  /** Some replicas' answers, or any states the key went through, under fresh node names. */
  private static Map<NodeId, Siblings> answers(SimulatedKey key, Random random) {
    if (random.nextBoolean()) {
      return SimulatedKey.someOf(random, key.replicas());
    }
    Map<NodeId, Siblings> answers = new LinkedHashMap<>();
    int n = random.nextInt(5);
    for (int i = 0; i < n; i++) {
      answers.put(NodeId.of("r" + i), key.anyState(random));
    }
    return answers;
  }

  @Test
  void mergedIsTheFoldOfTheAnswersInAnyOrder() {
    theory().forAll(SEEDS, SEEDS).checkAssert((keySeed, seed) -> {
      SimulatedKey key = SimulatedKey.generate(keySeed);
      Random random = new Random(seed);
      Map<NodeId, Siblings> answers = answers(key, random);
      Siblings merged = Reconciler.reconcile(answers).merged();
      for (int i = 0; i < 4; i++) {
        List<Siblings> order = new ArrayList<>(answers.values());
        Collections.shuffle(order, random);
        Siblings left = Siblings.empty();
        for (Siblings s : order) {
          left = left.merge(s);
        }
        Siblings right = Siblings.empty();
        for (int j = order.size() - 1; j >= 0; j--) {
          right = order.get(j).merge(right);
        }
        assertThat(merged).isEqualTo(left).isEqualTo(right);
      }
    });
  }

  @Test
  void staleAreExactlyTheAnswersMissingSomethingOfTheMergedSet() {
    AtomicInteger staleSeen = new AtomicInteger();
    AtomicInteger freshSeen = new AtomicInteger();
    theory().forAll(SEEDS, SEEDS).checkAssert((keySeed, seed) -> {
      SimulatedKey key = SimulatedKey.generate(keySeed);
      Map<NodeId, Siblings> answers = answers(key, new Random(seed));
      Reconciled r = Reconciler.reconcile(answers);
      Set<NodeId> expected = new TreeSet<>();
      answers.forEach((node, answer) -> {
        boolean lacksAVersion = r.merged().versions().stream()
            .anyMatch(v -> !answer.versions().contains(v));
        assertThat(lacksAVersion).as("%s lacks a version / differs", node)
            .isEqualTo(!answer.equals(r.merged()));
        if (lacksAVersion) {
          expected.add(node);
        }
      });
      assertThat(r.stale()).isEqualTo(expected);
      staleSeen.addAndGet(expected.size());
      freshSeen.addAndGet(answers.size() - expected.size());
    });
    assertThat(staleSeen.get()).isPositive();
    assertThat(freshSeen.get()).isPositive();
  }

  @Test
  void readRepairLeavesNothingStale() {
    theory().forAll(SEEDS, SEEDS).checkAssert((keySeed, seed) -> {
      SimulatedKey key = SimulatedKey.generate(keySeed);
      Map<NodeId, Siblings> answers = answers(key, new Random(seed));
      Reconciled r = Reconciler.reconcile(answers);
      Map<NodeId, Siblings> repaired = new LinkedHashMap<>(answers);
      r.stale().forEach(node -> repaired.merge(node, r.merged(), Siblings::merge));

      Reconciled again = Reconciler.reconcile(repaired);

      assertThat(again.merged()).isEqualTo(r.merged());
      assertThat(again.stale()).isEmpty();
      repaired.values().forEach(s -> assertThat(s).isEqualTo(r.merged()));
    });
  }
}
