package io.ringkv.ring;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.Key;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** Keys spread evenly over partitions: a chi-square statistic far below what skew would give. */
class KeyDistributionTest {
  private static final int KEYS = 100_000;

  @Test
  void randomKeysAreUniformOverQ64() {
    Random random = new Random(20240817L);
    double chi = chiSquare(64, i -> Key.of("b" + random.nextInt(10), randomKey(random)));
    // 63 degrees of freedom: mean 63, standard deviation ~11.2. 150 is ~8 deviations out.
    assertThat(chi).isLessThan(150);
  }

  @Test
  void sequentialKeysAreUniformOverQ64() {
    assertThat(chiSquare(64, i -> Key.of("users", "user-" + i))).isLessThan(150);
  }

  @Test
  void sequentialKeysAreUniformOverQ1024() {
    // 1023 degrees of freedom: mean 1023, standard deviation ~45.
    assertThat(chiSquare(1024, i -> Key.of("orders", Integer.toString(i)))).isLessThan(1400);
  }

  @Test
  void theStatisticCatchesSkew() {
    // Sanity check of the yardstick: keys confined to half the partitions score far above it.
    Ring ring = Ring.create(64, Rings.nodes(1));
    long[] counts = new long[64];
    for (int i = 0; i < KEYS; i++) {
      counts[ring.partitionOf(Key.of("b", "k" + i)) / 2]++;
    }
    assertThat(chiSquare(counts)).isGreaterThan(10_000);
  }

  private static double chiSquare(int q, IntFunction<Key> keys) {
    Ring ring = Ring.create(q, Rings.nodes(1));
    long[] counts = new long[q];
    for (int i = 0; i < KEYS; i++) {
      counts[ring.partitionOf(keys.apply(i))]++;
    }
    return chiSquare(counts);
  }

  private static double chiSquare(long[] counts) {
    double expected = (double) KEYS / counts.length;
    double chi = 0;
    for (long c : counts) {
      chi += (c - expected) * (c - expected) / expected;
    }
    return chi;
  }

  private static String randomKey(Random random) {
    char[] chars = new char[1 + random.nextInt(24)];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = (char) ('!' + random.nextInt(94));
    }
    return new String(chars);
  }
}
