package io.ringkv.versioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class EpochsTest {
  private static final long BOUND = 1L << 40;

  @Test
  void epochsAreInOneToTwoToTheForty() {
    SplittableRandom random = new SplittableRandom(40);
    for (int i = 0; i < 100_000; i++) {
      assertThat(Epochs.fresh(random)).isBetween(1L, BOUND - 1);
    }
    assertThat(Epochs.BOUND).isEqualTo(BOUND);
  }

  @Test
  void theExtremesOfTheGeneratorMapToTheExtremesOfTheRange() {
    assertThat(Epochs.fresh(fixed(0))).isEqualTo(1L);
    assertThat(Epochs.fresh(fixed(-1))).isEqualTo(BOUND - 1);
  }

  @Test
  void theSameSeedGivesTheSameEpochs() {
    assertThat(Epochs.fresh(new SplittableRandom(7))).isEqualTo(Epochs.fresh(new SplittableRandom(7)));
  }

  @Test
  void secureEpochsAreInRangeAndDistinct() {
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      long epoch = Epochs.fresh();
      assertThat(epoch).isBetween(1L, BOUND - 1);
      seen.add(epoch);
    }
    // 200 draws from 2^40 values collide with probability below 2e-8.
    assertThat(seen).hasSize(200);
  }

  @Test
  void needsAGenerator() {
    assertThatThrownBy(() -> Epochs.fresh(null)).isInstanceOf(NullPointerException.class);
  }

  /** A generator whose bounded draws are always the lowest (0) or the highest (-1 = bound - 1). */
  private static RandomGenerator fixed(long which) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        return which;
      }

      @Override
      public long nextLong(long bound) {
        return which == 0 ? 0 : bound - 1;
      }
    };
  }
}
