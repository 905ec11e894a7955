package io.ringkv.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The open-addressing index against a map model, under random inserts, updates and removals,
 * with fingerprints forced to collide so probe chains, shifts and key checks are exercised.
 */
class KeyIndexTest {
  static LongStream seeds() {
    return LongStream.range(0, 50);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void behavesLikeAMapUnderRandomOperations(long seed) {
    Random random = new Random(seed);
    KeyIndex index = new KeyIndex(random.nextInt(40));
    Map<Integer, Long> model = new HashMap<>();        // key -> position
    Map<Long, Integer> keyAt = new HashMap<>();        // position -> key: what the "log" says
    long nextPosition = 1L << 32;
    int keys = 1 + random.nextInt(600);
    for (int op = 0; op < 3000; op++) {
      int key = random.nextInt(keys);
      int fingerprint = fingerprintOf(key);
      int slot = index.find(fingerprint, (position, size) -> keyAt.get(position) == key);
      assertThat(slot >= 0).as("key %d present", key).isEqualTo(model.containsKey(key));
      long position = nextPosition++;
      keyAt.put(position, key);
      if (slot < 0) {
        index.insert(fingerprint, position, 100 + key, key % 7);
        model.put(key, position);
      } else if (random.nextInt(3) == 0) {
        index.remove(slot);
        model.remove(key);
      } else {
        assertThat(index.position(slot)).isEqualTo(model.get(key));
        index.update(slot, position, 100 + key);
        model.put(key, position);
      }
    }
    assertThat(index.size()).isEqualTo(model.size());
    for (Map.Entry<Integer, Long> e : model.entrySet()) {
      int key = e.getKey();
      int slot = index.find(fingerprintOf(key), (position, size) -> keyAt.get(position) == key);
      assertThat(index.position(slot)).isEqualTo(e.getValue());
      assertThat(index.findPosition(fingerprintOf(key), e.getValue())).isEqualTo(slot);
      assertThat(index.partition(slot)).isEqualTo(key % 7);
    }
    Map<Long, Integer> seen = new TreeMap<>();
    index.forEach((fingerprint, position, size, partition) -> seen.put(position, partition));
    Map<Long, Integer> expected = new TreeMap<>();
    model.forEach((key, position) -> expected.put(position, key % 7));
    assertThat(seen).isEqualTo(expected);
    for (int partition = 0; partition < 7; partition++) {
      long[] entries = index.entriesOf(partition);
      List<Long> positions = new ArrayList<>();
      for (int i = 0; i < entries.length; i += 2) {
        positions.add(entries[i]);
      }
      int p = partition;
      assertThat(positions).containsExactlyInAnyOrderElementsOf(
          expected.entrySet().stream().filter(e -> e.getValue() == p).map(Map.Entry::getKey).toList());
    }
  }

  @Test
  void aSnapshotCopyIsIndependent() {
    KeyIndex index = new KeyIndex(4);
    index.insert(1, 10L << 32, 5, 0);
    KeyIndex copy = index.copy();

    index.update(index.findPosition(1, 10L << 32), 11L << 32, 6);
    index.insert(2, 12L << 32, 5, 1);

    assertThat(copy.size()).isEqualTo(1);
    assertThat(copy.findPosition(1, 10L << 32)).isNotNegative();
    assertThat(index.findPosition(1, 10L << 32)).isNegative();
  }

  @Test
  void staysWithinTheMemoryBudgetPerKey() {
    KeyIndex index = new KeyIndex(0);
    for (int i = 1; i <= 200_000; i++) {
      index.insert(KeyIndex.fingerprint(("key-" + i).getBytes()), ((long) 1 << 32) + i, 1000, 0);
      if (Integer.bitCount(i) == 1 && i > 64) {
        assertThat((double) index.memoryBytes() / i).as("bytes per key at %d keys", i).isLessThanOrEqualTo(64);
      }
    }
  }

  @Test
  void fingerprintsSpreadKeys() {
    int[] buckets = new int[64];
    for (int i = 0; i < 64_000; i++) {
      buckets[KeyIndex.fingerprint(("user:" + i).getBytes()) & 63]++;
    }
    for (int count : buckets) {
      assertThat(count).isBetween(800, 1200);
    }
  }

  /** Few distinct fingerprints: many keys share one, as a weak hash would make them. */
  private static int fingerprintOf(int key) {
    return (key % 37) * 0x01000193;
  }
}
