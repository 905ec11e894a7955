package io.ringkv.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.Key;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The in-memory index of a target's hints against a simple model, through growth, wrap-around and draining. */
class PendingHintsTest {
  private record Entry(long position, int size, long created, int key) {
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void behavesLikeASortedMapOfHints(long seed) {
    Random random = new Random(seed);
    PendingHints pending = new PendingHints();
    TreeMap<Long, Entry> model = new TreeMap<>();
    long next = 1;
    for (int step = 0; step < 3_000; step++) {
      if (random.nextInt(3) > 0 || model.isEmpty()) {
        next += 1 + random.nextInt(3); // sequences may have gaps
        Entry e = new Entry(random.nextLong() & Long.MAX_VALUE, 1 + random.nextInt(1000), random.nextInt(1 << 20),
            random.nextInt(40));
        pending.add(next, e.position(), e.size(), e.created(), key(e.key()));
        model.put(next, e);
      } else {
        long upTo = model.firstKey() + random.nextInt(model.size() < 50 ? 200 : 20);
        int expected = model.headMap(upTo, true).size();
        assertThat(pending.releaseUpTo(upTo)).isEqualTo(expected);
        model.headMap(upTo, true).clear();
      }
      check(pending, model);
    }
    pending.releaseUpTo(Long.MAX_VALUE);
    model.clear();
    check(pending, model);
  }

  @ParameterizedTest(name = "a hint {0} is refused")
  @ValueSource(longs = {5, 4})
  void sequencesMustGrow(long sequence) {
    PendingHints pending = new PendingHints();
    pending.add(5, 0, 1, 0, key(1));
    assertThatThrownBy(() -> pending.add(sequence, 0, 1, 0, key(1))).isInstanceOf(IllegalArgumentException.class);
  }

  private static void check(PendingHints pending, TreeMap<Long, Entry> model) {
    assertThat(pending.size()).isEqualTo(model.size());
    assertThat(pending.isEmpty()).isEqualTo(model.isEmpty());
    assertThat(pending.bytes()).isEqualTo(model.values().stream().mapToLong(Entry::size).sum());
    int i = 0;
    for (Map.Entry<Long, Entry> e : model.entrySet()) {
      assertThat(pending.sequence(i)).isEqualTo(e.getKey());
      assertThat(pending.position(i)).isEqualTo(e.getValue().position());
      assertThat(pending.recordSize(i)).isEqualTo(e.getValue().size());
      assertThat(pending.createdMillis(i)).isEqualTo(e.getValue().created());
      i++;
    }
    for (int k = 0; k < 40; k++) {
      List<Long> expected = new ArrayList<>();
      for (Map.Entry<Long, Entry> e : model.entrySet()) {
        if (e.getValue().key() == k) {
          expected.add(e.getKey());
        }
      }
      List<Long> got = new ArrayList<>();
      for (int index : pending.indexesOf(key(k))) {
        got.add(pending.sequence(index));
      }
      assertThat(got).as("key %d", k).isEqualTo(expected);
    }
  }

  private static PendingHints.KeyBytes key(int k) {
    return new PendingHints.KeyBytes(RecordCodec.encodeKey(Key.of("b", "k" + k)));
  }
}
