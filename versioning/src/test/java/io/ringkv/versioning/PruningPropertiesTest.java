package io.ringkv.versioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Dot;
import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.impl.Constraint;

/**
 * Design, "Versions": pruning may only ever turn a supersession into a false sibling, never a
 * sibling into a loss. For sibling sets S from simulated histories and a new version v with
 * context C, the version v' with the same dot and C pruned keeps, beside S, a superset of what v
 * keeps; the extra ones are exactly versions C had seen.
 */
class PruningPropertiesTest {
  private static final Gen<Long> SEEDS = in -> in.next(Constraint.none());

  @Test
  void aPrunedContextNeverDropsASiblingThatTheFullContextKeeps() {
    AtomicInteger falseSiblings = new AtomicInteger();
    AtomicInteger prunedContexts = new AtomicInteger();
    qt().withFixedSeed(0x9e00e_5afeL).withExamples(1500).withShrinkCycles(20)
        .forAll(SEEDS, SEEDS).checkAssert((historySeed, seed) -> {
          SimulatedKey key = SimulatedKey.generate(historySeed);
          Random random = new Random(seed);
          List<Versioned<Bytes>> s = random.nextBoolean()
              ? key.anyState(random).versions() : subset(key.versions(), random);
          VectorClock c = context(random, key, s);
          PruningPolicy policy = new PruningPolicy(1 + random.nextInt(4));
          VectorClock pruned = policy.prune(c);
          if (!pruned.equals(c)) {
            prunedContexts.incrementAndGet();
          }
          Dot dot = freshDot(random, key);
          Versioned<Bytes> v = Versioned.of(Bytes.utf8("new"), dot, c, 9_999L);
          Versioned<Bytes> vPruned = Versioned.of(Bytes.utf8("new"), dot, pruned, 9_999L);

          Siblings full = Siblings.of(with(s, v));
          Siblings lossy = Siblings.of(with(s, vPruned));

          assertThat(full.versions()).contains(v);
          assertThat(lossy.versions()).contains(vPruned);
          for (Versioned<Bytes> kept : full.versions()) {
            if (kept != v) {
              assertThat(lossy.versions()).as("%s kept with %s but not with %s", kept.dot(), c, pruned)
                  .contains(kept);
            }
          }
          for (Versioned<Bytes> extra : lossy.versions()) {
            if (extra != vPruned && !full.versions().contains(extra)) {
              assertThat(c.covers(extra.dot())).isTrue();
              assertThat(pruned.covers(extra.dot())).isFalse();
              falseSiblings.incrementAndGet();
            }
          }
        });
    assertThat(prunedContexts.get()).as("examples whose context was pruned").isGreaterThan(100);
    assertThat(falseSiblings.get()).as("supersessions turned into false siblings").isGreaterThan(20);
  }

  /** The state's clock, the clock of some of its versions, a context read earlier, or any clock. */
  private static VectorClock context(Random random, SimulatedKey key, List<Versioned<Bytes>> s) {
    switch (random.nextInt(4)) {
      case 0:
        return Siblings.of(s).clock();
      case 1: {
        VectorClock c = VectorClock.empty();
        for (Versioned<Bytes> v : subset(s, random)) {
          c = c.merge(v.clock());
        }
        return c;
      }
      case 2:
        return key.contexts().get(random.nextInt(key.contexts().size()));
      default: {
        TreeMap<Actor, VectorClock.Entry> m = new TreeMap<>();
        for (Versioned<Bytes> v : key.versions()) {
          if (random.nextInt(3) == 0) {
            m.put(v.dot().actor(), new VectorClock.Entry(1 + random.nextInt(6), random.nextInt(50)));
          }
        }
        return new VectorClock(m);
      }
    }
  }

  /** A dot nothing in the history has: the next of an existing actor, or a new actor's first. */
  private static Dot freshDot(Random random, SimulatedKey key) {
    Set<Actor> actors = new TreeSet<>();
    key.versions().forEach(v -> actors.add(v.dot().actor()));
    long max = key.versions().stream()
        .flatMap(v -> v.clock().entries().values().stream())
        .mapToLong(VectorClock.Entry::counter).max().orElse(0);
    Actor actor = actors.isEmpty() || random.nextInt(4) == 0
        ? new Actor(NodeId.of("newcomer"), Epochs.fresh(random))
        : new ArrayList<>(actors).get(random.nextInt(actors.size()));
    return new DotIssuer(actor, Math.max(max, 6)).next(VectorClock.empty());
  }

  private static List<Versioned<Bytes>> subset(List<Versioned<Bytes>> versions, Random random) {
    return versions.stream().filter(v -> random.nextBoolean()).toList();
  }

  private static List<Versioned<Bytes>> with(List<Versioned<Bytes>> s, Versioned<Bytes> v) {
    List<Versioned<Bytes>> all = new ArrayList<>(s);
    all.add(v);
    return all;
  }
}
