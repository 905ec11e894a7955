package io.ringkv.replication;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimiterTest {
  @Test
  void eachReservationWaitsForTheOnesBeforeIt() {
    RateLimiter limiter = new RateLimiter(100, 0); // 100 keys/s: 10 ms a key
    assertThat(limiter.reserve(50, 0, 1_000)).isZero();
    assertThat(limiter.reserve(50, 0, 1_000)).isEqualTo(500);
    assertThat(limiter.reserve(1, 0, 1_000)).isEqualTo(1_000);
  }

  @Test
  void theSlowerOfTheTwoRatesSetsThePace() {
    RateLimiter limiter = new RateLimiter(1_000, 1_000); // keys are cheap here, bytes are not
    assertThat(limiter.reserve(1, 2_000, 0)).isZero();
    assertThat(limiter.reserve(1, 0, 0)).isEqualTo(2_000);
  }

  @Test
  void timeThatPassedIsNotBankedAsABurst() {
    RateLimiter limiter = new RateLimiter(10, 0);
    assertThat(limiter.reserve(10, 0, 0)).isZero();
    assertThat(limiter.reserve(10, 0, 60_000)).isZero();
    assertThat(limiter.reserve(10, 0, 60_000)).isEqualTo(1_000);
  }

  @Test
  void zeroMeansNoLimit() {
    RateLimiter limiter = new RateLimiter(0, 0);
    for (int i = 0; i < 10; i++) {
      assertThat(limiter.reserve(1_000_000, 1L << 40, 0)).isZero();
    }
  }
}
