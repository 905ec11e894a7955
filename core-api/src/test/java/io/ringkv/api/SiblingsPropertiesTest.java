package io.ringkv.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;
import org.quicktheories.impl.Constraint;

/**
 * The sibling-set algebra. {@code of} is checked on arbitrary versions (any contexts); the merge
 * laws on the states of simulated histories ({@link History}), whose contexts come from real
 * reads as the design guarantees.
 */
class SiblingsPropertiesTest {
  private static final List<Actor> ACTORS = List.of(
      new Actor(NodeId.of("a"), 0), new Actor(NodeId.of("a"), 3), new Actor(NodeId.of("b"), 0));

  /** Versions with distinct dots and arbitrary contexts (never covering their own dot). */
  private static final Gen<List<Versioned<Bytes>>> ARBITRARY = in -> {
    int size = (int) in.next(Constraint.between(0, 7));
    TreeMap<Dot, Versioned<Bytes>> byDot = new TreeMap<>();
    for (int i = 0; i < size; i++) {
      Dot dot = new Dot(ACTORS.get((int) in.next(Constraint.between(0, 2))),
          in.next(Constraint.between(1, 4)));
      TreeMap<Actor, VectorClock.Entry> context = new TreeMap<>();
      for (Actor actor : ACTORS) {
        long counter = in.next(Constraint.between(0, 4));
        if (actor.equals(dot.actor())) {
          counter = Math.min(counter, dot.counter() - 1);
        }
        if (counter > 0) {
          context.put(actor, new VectorClock.Entry(counter, 0L));
        }
      }
      boolean tombstone = in.next(Constraint.between(0, 3)) == 0;
      byDot.put(dot, new Versioned<>(tombstone ? Bytes.EMPTY : Bytes.utf8("x" + i), dot,
          new VectorClock(context), in.next(Constraint.between(0, 9)), tombstone));
    }
    return new ArrayList<>(byDot.values());
  };

  private static final Gen<History> HISTORIES = in -> History.generate(in.next(Constraint.none()));
  private static final Gen<Long> SEEDS = in -> in.next(Constraint.none());

  private static List<Versioned<Bytes>> subset(List<Versioned<Bytes>> writes, Random random) {
    return writes.stream().filter(v -> random.nextBoolean()).toList();
  }

  private static QuickTheory theory() {
    return qt().withFixedSeed(0x51b_11a6L).withExamples(400).withShrinkCycles(20);
  }

  @Test
  void ofKeepsExactlyTheVersionsNoOtherVersionCovers() {
    theory().forAll(ARBITRARY).checkAssert(SiblingsPropertiesTest::assertKeepsExactlyTheUncovered);
    theory().forAll(HISTORIES, SEEDS).checkAssert((h, seed) ->
        assertKeepsExactlyTheUncovered(h.anySubset(new Random(seed))));
  }

  private static void assertKeepsExactlyTheUncovered(List<Versioned<Bytes>> input) {
    Siblings s = Siblings.of(input);
    for (Versioned<Bytes> v : input) {
      boolean covered = input.stream().anyMatch(w -> w != v && w.context().covers(v.dot()));
      assertThat(s.versions().contains(v))
          .as("%s kept among %s (covered by another: %s)", v.dot(), input, covered)
          .isEqualTo(!covered);
    }
    assertThat(input).containsAll(s.versions());
  }

  @Test
  void ofIsInDotOrderWithoutDuplicatesAndIgnoresInputOrderAndRepeats() {
    theory().forAll(ARBITRARY, SEEDS).checkAssert((input, seed) -> {
      Siblings s = Siblings.of(input);
      List<Dot> dots = s.versions().stream().map(Versioned::dot).toList();
      assertThat(dots).isSorted().doesNotHaveDuplicates();
      List<Versioned<Bytes>> shuffledTwice = new ArrayList<>(input);
      shuffledTwice.addAll(input);
      Collections.shuffle(shuffledTwice, new Random(seed));
      assertThat(Siblings.of(shuffledTwice)).isEqualTo(s);
      assertThat(Siblings.of(s.versions())).isEqualTo(s);
    });
  }

  /** Any two sets drawn from one set of writes (a dot is one write: one value, one context). */
  @Test
  void mergeIsCommutativeAndIdempotentOnAnySets() {
    theory().forAll(ARBITRARY, SEEDS).checkAssert((writes, seed) -> {
      Random random = new Random(seed);
      Siblings a = Siblings.of(subset(writes, random));
      Siblings b = Siblings.of(subset(writes, random));
      assertThat(a.merge(b)).isEqualTo(b.merge(a));
      assertThat(a.merge(a)).isEqualTo(a);
      assertThat(a.merge(Siblings.empty())).isEqualTo(a);
      assertThat(Siblings.empty().merge(a)).isEqualTo(a);
    });
  }

  @Test
  void mergeIsAssociativeCommutativeAndIdempotentOnHistories() {
    theory().forAll(HISTORIES, SEEDS).checkAssert((h, seed) -> {
      Random random = new Random(seed);
      for (int i = 0; i < 10; i++) {
        Siblings a = h.anyState(random);
        Siblings b = h.anyState(random);
        Siblings c = h.anyState(random);
        assertThat(a.merge(b).merge(c)).as("(a+b)+c vs a+(b+c): %s %s %s", a, b, c)
            .isEqualTo(a.merge(b.merge(c)));
        assertThat(a.merge(b)).isEqualTo(b.merge(a));
        assertThat(a.merge(b).merge(b)).isEqualTo(a.merge(b));
      }
    });
  }

  @Test
  void mergedSetContainsItsPartsAndContainsMeansMergeChangesNothing() {
    theory().forAll(HISTORIES, SEEDS).checkAssert((h, seed) -> {
      Random random = new Random(seed);
      for (int i = 0; i < 10; i++) {
        Siblings a = h.anyState(random);
        Siblings b = h.anyState(random);
        Siblings m = a.merge(b);
        assertThat(m.contains(a)).isTrue();
        assertThat(m.contains(b)).isTrue();
        assertThat(a.contains(b)).isEqualTo(a.merge(b).equals(a));
        assertThat(a.contains(a)).isTrue();
        assertThat(a.contains(Siblings.empty())).isTrue();
        assertThat(Siblings.empty().contains(a)).isEqualTo(a.isEmpty());
      }
    });
  }

  @Test
  void addIsMergeWithOneVersion() {
    theory().forAll(ARBITRARY, SEEDS).checkAssert((writes, seed) -> {
      Siblings s = Siblings.of(subset(writes, new Random(seed)));
      for (Versioned<Bytes> v : writes) {
        assertThat(s.add(v)).isEqualTo(s.merge(Siblings.of(v)));
        List<Versioned<Bytes>> all = new ArrayList<>(s.versions());
        all.add(v);
        assertThat(s.add(v)).isEqualTo(Siblings.of(all));
      }
    });
  }

  @Test
  void clockIsTheJoinOfTheVersionClocks() {
    theory().forAll(ARBITRARY).checkAssert(input -> {
      Siblings s = Siblings.of(input);
      VectorClock join = VectorClock.empty();
      for (Versioned<Bytes> v : s.versions()) {
        join = join.merge(v.clock());
        assertThat(s.clock().covers(v.dot())).isTrue();
        assertThat(s.clock().descends(v.context())).isTrue();
      }
      assertThat(s.clock()).isEqualTo(join);
      assertThat(s.live()).allMatch(v -> !v.tombstone());
      assertThat(s.isDeleted()).isEqualTo(!s.isEmpty() && s.live().isEmpty());
    });
  }

  /** Design, "Versions": an acknowledged write is lost only if no later write read it. */
  @Test
  void replicasTogetherLoseNoWriteThatNoLaterWriteHadRead() {
    theory().forAll(HISTORIES).checkAssert(h -> {
      Siblings all = Siblings.empty();
      for (Siblings replica : h.replicas()) {
        all = all.merge(replica);
      }
      assertThat(all).as("%s", h).isEqualTo(Siblings.of(h.versions()));
      Set<Dot> kept = new TreeSet<>();
      all.versions().forEach(v -> kept.add(v.dot()));
      for (Versioned<Bytes> v : h.versions()) {
        assertThat(kept.contains(v.dot())
            || all.versions().stream().anyMatch(w -> w.context().covers(v.dot())))
            .as("%s is neither kept nor read by a kept version in %s", v.dot(), h).isTrue();
      }
    });
  }
}
