package io.ringkv.testkit.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.ConflictResolver;
import io.ringkv.api.Dot;
import io.ringkv.api.NodeId;
import io.ringkv.api.Resolution;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ConflictResolver}, built-in or plugin, must pass. Extend it in a
 * test class, supply {@link #resolver()} and {@link #randomValue(Random)} (values your resolver
 * understands), and each property runs on {@value #CASES} seeded random sibling sets: several
 * actors, causal contexts chosen so that some versions cover others and some are concurrent,
 * timestamps unrelated to causality (with ties), some tombstones.
 *
 * <ul>
 *   <li><b>commutative</b>: any order of the input gives the same resolution (kept versions
 *       compared as a set);</li>
 *   <li><b>idempotent</b>: duplicates in the input change nothing; resolving the kept versions
 *       again keeps them; a merged value, written back with a clock dominating every sibling,
 *       is kept as it is, alone or beside the siblings it replaced;</li>
 *   <li><b>never drops a causally newer version</b>: a {@link Resolution.Keep} is a non-empty
 *       subset of the input without duplicates and without any version another input version
 *       covers; a {@link Resolution.Merged} is not a covered version brought back (same value,
 *       timestamp and tombstone flag as a covered version, matching no uncovered one); and
 *       versions that another version covers do not change the answer at all;</li>
 *   <li><b>deterministic</b>: the same input twice, or to a fresh resolver, gives equal
 *       answers;</li>
 *   <li><b>a single version</b> is kept as it is.</li>
 * </ul>
 * The seed is fixed; run with {@code -Dringkv.contract.seed=N} to explore others. A failure
 * names the case seed and prints the input.
 */
public abstract class ConflictResolverContractTest {
  /** Random sibling sets per property. */
  protected static final int CASES = 500;
  private static final long DEFAULT_SEED = 0x5EED_0F_DA7AL;
  private static final Actor COORDINATOR = new Actor(NodeId.of("coordinator"), 0);

  /** The resolver under test; called once per property and once more for determinism. */
  protected abstract ConflictResolver resolver();

  /** A value your resolver understands (a tombstone's empty value is added by the suite). */
  protected abstract Bytes randomValue(Random random);

  private interface Check {
    void run(ConflictResolver resolver, SiblingSets.Case c, Random random);
  }

  private void forEachCase(Check check) {
    long seed = Long.getLong("ringkv.contract.seed", DEFAULT_SEED);
    Random seeds = new Random(seed);
    ConflictResolver resolver = resolver();
    for (int i = 0; i < CASES; i++) {
      long caseSeed = seeds.nextLong();
      SiblingSets.Case c = SiblingSets.generate(caseSeed, this::randomValue);
      try {
        check.run(resolver, c, new Random(caseSeed ^ 0x9E3779B97F4A7C15L));
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("case " + i + " (seed " + seed + ", case seed " + caseSeed
            + ") failed for " + resolver + "; input:" + SiblingSets.describe(c.input())
            + "\n" + e.getMessage(), e);
      }
    }
  }

  private static Resolution resolve(ConflictResolver resolver, List<Versioned<Bytes>> input) {
    Resolution r = resolver.resolve(List.copyOf(input));
    assertThat(r).as("resolution of" + SiblingSets.describe(input)).isNotNull();
    return r;
  }

  /** Equal, comparing the versions of a Keep as a set. */
  private static void assertSameResolution(Resolution actual, Resolution expected, String what) {
    boolean same;
    if (expected instanceof Resolution.Keep keep) {
      same = actual instanceof Resolution.Keep kept
          && kept.versions().size() == keep.versions().size()
          && new HashSet<>(kept.versions()).equals(new HashSet<>(keep.versions()));
    } else {
      same = expected.equals(actual);
    }
    if (!same) {
      throw new AssertionError(what + ":\n expected " + SiblingSets.describe(expected)
          + "\n but got " + SiblingSets.describe(actual));
    }
  }

  /** Exactly equal, Keep order included. */
  private static void assertEqualResolution(Resolution actual, Resolution expected, String what) {
    if (!expected.equals(actual)) {
      throw new AssertionError(what + ":\n expected " + SiblingSets.describe(expected)
          + "\n but got " + SiblingSets.describe(actual));
    }
  }

  @Test
  void commutative() {
    forEachCase((resolver, c, random) -> {
      Resolution expected = resolve(resolver, c.input());
      for (int i = 0; i < 3; i++) {
        List<Versioned<Bytes>> permuted = new ArrayList<>(c.input());
        Collections.shuffle(permuted, random);
        assertSameResolution(resolve(resolver, permuted), expected,
            "resolution of the permutation" + SiblingSets.describe(permuted));
      }
    });
  }

  @Test
  void duplicatesInTheInputChangeNothing() {
    forEachCase((resolver, c, random) -> {
      Resolution expected = resolve(resolver, c.input());
      List<Versioned<Bytes>> withDuplicates = new ArrayList<>(c.input());
      int extra = 1 + random.nextInt(c.input().size());
      for (int i = 0; i < extra; i++) {
        withDuplicates.add(c.input().get(random.nextInt(c.input().size())));
      }
      Collections.shuffle(withDuplicates, random);
      assertSameResolution(resolve(resolver, withDuplicates), expected,
          "resolution with duplicates");
    });
  }

  @Test
  void resolvingTheResultAgainChangesNothing() {
    forEachCase((resolver, c, random) -> {
      Resolution first = resolve(resolver, c.input());
      if (first instanceof Resolution.Keep keep) {
        assertSameResolution(resolve(resolver, keep.versions()), first,
            "resolving the kept versions again");
      } else {
        Resolution.Merged merged = (Resolution.Merged) first;
        Versioned<Bytes> written = writeBack(merged, c.input());
        Resolution alone = new Resolution.Keep(List.of(written));
        assertSameResolution(resolve(resolver, List.of(written)), alone,
            "resolving the written-back merged version alone");
        List<Versioned<Bytes>> afterWriteBack = new ArrayList<>(c.input());
        afterWriteBack.add(random.nextInt(afterWriteBack.size() + 1), written);
        assertSameResolution(resolve(resolver, afterWriteBack), alone,
            "resolving the siblings plus the merged version written back over them");
      }
    });
  }

  /** What the coordinator stores for a merge: a fresh dot, a context covering every sibling. */
  private static Versioned<Bytes> writeBack(Resolution.Merged m, List<Versioned<Bytes>> input) {
    VectorClock all = VectorClock.empty();
    for (Versioned<Bytes> v : input) {
      all = all.merge(v.clock());
    }
    Dot dot = new Dot(COORDINATOR, all.counter(COORDINATOR) + 1);
    return new Versioned<>(m.value(), dot, all, m.timestamp(), m.tombstone());
  }

  @Test
  void neverDropsACausallyNewerVersion() {
    forEachCase((resolver, c, random) -> {
      List<Versioned<Bytes>> covered = SiblingSets.covered(c.input());
      List<Versioned<Bytes>> uncovered = new ArrayList<>(c.input());
      uncovered.removeAll(covered);
      Resolution r = resolve(resolver, c.input());
      if (r instanceof Resolution.Keep keep) {
        List<Versioned<Bytes>> kept = keep.versions();
        assertThat(kept).as("kept versions" + SiblingSets.describe(kept))
            .isNotEmpty()
            .doesNotHaveDuplicates()
            .allSatisfy(v -> assertThat(c.input()).as("the input").contains(v))
            .allSatisfy(v -> assertThat(covered)
                .as("versions another input version covers (must not be kept)")
                .doesNotContain(v));
      } else {
        Resolution.Merged m = (Resolution.Merged) r;
        for (Versioned<Bytes> old : covered) {
          boolean sameAsOld = sameOutcome(m, old);
          boolean sameAsCurrent = uncovered.stream().anyMatch(v -> sameOutcome(m, v));
          boolean oldTimeIsItsOwn =
              uncovered.stream().noneMatch(v -> v.timestamp() == old.timestamp());
          assertThat(sameAsOld && !sameAsCurrent && oldTimeIsItsOwn)
              .as("merged result " + SiblingSets.describe(m) + " brings back the covered version "
                  + SiblingSets.describe(List.of(old)))
              .isFalse();
        }
      }
    });
  }

  private static boolean sameOutcome(Resolution.Merged m, Versioned<Bytes> v) {
    return m.value().equals(v.value()) && m.timestamp() == v.timestamp()
        && m.tombstone() == v.tombstone();
  }

  @Test
  void versionsThatAnotherVersionCoversDoNotChangeTheAnswer() {
    forEachCase((resolver, c, random) -> {
      List<Versioned<Bytes>> uncovered = new ArrayList<>(c.input());
      uncovered.removeAll(SiblingSets.covered(c.input()));
      assertSameResolution(resolve(resolver, c.input()), resolve(resolver, uncovered),
          "resolution of the input compared with that of its uncovered versions"
              + SiblingSets.describe(uncovered));
    });
  }

  @Test
  void deterministic() {
    ConflictResolver fresh = resolver();
    forEachCase((resolver, c, random) -> {
      Resolution first = resolve(resolver, c.input());
      assertEqualResolution(resolve(resolver, c.input()), first, "the same input resolved twice");
      assertEqualResolution(resolve(fresh, c.input()), first,
          "the same input resolved by a fresh resolver");
    });
  }

  @Test
  void aSingleVersionIsKeptAsItIs() {
    forEachCase((resolver, c, random) -> {
      for (Versioned<Bytes> v : c.history()) {
        assertEqualResolution(resolve(resolver, List.of(v)), new Resolution.Keep(List.of(v)),
            "resolution of the single version" + SiblingSets.describe(List.of(v)));
      }
    });
  }

  /** Sanity check of the generator itself, so the properties above are not vacuous. */
  @Test
  void theGeneratedCasesCoverConcurrencySupersessionAndTombstones() {
    Set<String> seen = new HashSet<>();
    forEachCase((resolver, c, random) -> {
      List<Versioned<Bytes>> covered = SiblingSets.covered(c.input());
      seen.add(covered.isEmpty() ? "all concurrent" : "some covered");
      if (c.input().size() - covered.size() >= 2) {
        seen.add("2+ concurrent survivors");
      }
      if (c.input().stream().anyMatch(Versioned::tombstone)) {
        seen.add("tombstone");
      }
    });
    assertThat(seen).contains("all concurrent", "some covered", "2+ concurrent survivors",
        "tombstone");
  }
}
