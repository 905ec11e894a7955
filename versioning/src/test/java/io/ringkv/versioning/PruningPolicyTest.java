package io.ringkv.versioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import io.ringkv.api.Actor;
import io.ringkv.api.NodeId;
import io.ringkv.api.VectorClock;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.impl.Constraint;

class PruningPolicyTest {
  private static Actor actor(String node) {
    return new Actor(NodeId.of(node), 0);
  }

  private static VectorClock clock(Object... actorCounterTimestamp) {
    TreeMap<Actor, VectorClock.Entry> m = new TreeMap<>();
    for (int i = 0; i < actorCounterTimestamp.length; i += 3) {
      m.put(actor((String) actorCounterTimestamp[i]), new VectorClock.Entry(
          (Integer) actorCounterTimestamp[i + 1], (Integer) actorCounterTimestamp[i + 2]));
    }
    return new VectorClock(m);
  }

  @Test
  void theDefaultKeepsSixtyFourEntries() {
    assertThat(PruningPolicy.DEFAULT.maxEntries()).isEqualTo(64);
  }

  @Test
  void maxEntriesMustBeAtLeastOneAndFitAContext() {
    assertThatThrownBy(() -> new PruningPolicy(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxEntries must be between 1 and 4096").hasMessageContaining("was 0");
    assertThatThrownBy(() -> new PruningPolicy(4097)).hasMessageContaining("was 4097");
    assertThat(new PruningPolicy(1).maxEntries()).isEqualTo(1);
    assertThat(new PruningPolicy(4096).maxEntries()).isEqualTo(4096);
  }

  @Test
  void aClockWithinTheLimitIsLeftAlone() {
    VectorClock c = clock("a", 1, 10, "b", 2, 5);

    assertThat(new PruningPolicy(2).prune(c)).isSameAs(c);
    assertThat(new PruningPolicy(5).prune(VectorClock.empty())).isEqualTo(VectorClock.empty());
  }

  @Test
  void theOldestEntriesGoFirst() {
    VectorClock c = clock("a", 1, 30, "b", 9, 10, "c", 2, 20, "d", 1, 40);

    assertThat(new PruningPolicy(2).prune(c).entries())
        .isEqualTo(clock("a", 1, 30, "d", 1, 40).entries());
    assertThat(new PruningPolicy(1).prune(c).entries()).isEqualTo(clock("d", 1, 40).entries());
  }

  @Test
  void equalTimestampsGoInActorOrder() {
    VectorClock c = clock("c", 1, 7, "a", 1, 7, "b", 1, 7);

    assertThat(new PruningPolicy(2).prune(c).entries()).containsOnlyKeys(actor("b"), actor("c"));
    assertThat(new PruningPolicy(1).prune(c).entries()).containsOnlyKeys(actor("c"));
  }

  private static final Gen<VectorClock> CLOCKS = in -> {
    TreeMap<Actor, VectorClock.Entry> m = new TreeMap<>();
    long size = in.next(Constraint.between(0, 12));
    for (int i = 0; i < size; i++) {
      m.put(new Actor(NodeId.of("n" + in.next(Constraint.between(0, 20))), in.next(Constraint.between(0, 2))),
          new VectorClock.Entry(in.next(Constraint.between(1, 9)), in.next(Constraint.between(0, 6))));
    }
    return new VectorClock(m);
  };

  @Test
  void pruningKeepsTheNewestEntriesUnchangedAndOnlyEverForgets() {
    qt().withFixedSeed(0x9e00eL).withExamples(1000)
        .forAll(CLOCKS, (Gen<Integer>) in -> (int) in.next(Constraint.between(1, 8)))
        .checkAssert((c, max) -> {
          VectorClock p = new PruningPolicy(max).prune(c);
          assertThat(p.size()).isEqualTo(Math.min(c.size(), max));
          assertThat(c.entries().entrySet()).containsAll(p.entries().entrySet());
          assertThat(c.descends(p)).isTrue();
          for (Map.Entry<Actor, VectorClock.Entry> dropped : c.entries().entrySet()) {
            if (p.entries().containsKey(dropped.getKey())) {
              continue;
            }
            for (Map.Entry<Actor, VectorClock.Entry> kept : p.entries().entrySet()) {
              long droppedTs = dropped.getValue().timestamp();
              long keptTs = kept.getValue().timestamp();
              assertThat(droppedTs < keptTs
                  || droppedTs == keptTs && dropped.getKey().compareTo(kept.getKey()) < 0)
                  .as("dropped %s but kept the older %s", dropped, kept).isTrue();
            }
          }
          assertThat(new PruningPolicy(max).prune(p)).isEqualTo(p);
        });
  }
}
