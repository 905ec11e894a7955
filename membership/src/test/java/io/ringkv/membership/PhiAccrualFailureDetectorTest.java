package io.ringkv.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The detector against a manual clock: times are plain milliseconds. */
class PhiAccrualFailureDetectorTest {
  private static final NodeId P = NodeId.of("peer");
  private static final double LOG10_2 = Math.log10(2);

  /** No acceptable pause, a small window: the statistics are easy to predict. */
  private static PhiAccrualFailureDetector strict() {
    return new PhiAccrualFailureDetector(8, 10, Duration.ofMillis(100), Duration.ZERO,
        Duration.ofSeconds(1));
  }

  /** Heartbeats every {@code interval} ms from t = 0; returns the time of the last. */
  private static long beat(PhiAccrualFailureDetector d, long from, int count, long interval) {
    long t = from;
    for (int i = 0; i < count; i++) {
      d.heartbeat(P, t);
      t += interval;
    }
    return t - interval;
  }

  @Test
  void steadyHeartbeatsKeepPhiLow() {
    PhiAccrualFailureDetector d = PhiAccrualFailureDetector.withDefaults();
    long last = beat(d, 0, 200, 1000);
    for (long t = last; t <= last + 1000; t += 100) {
      assertThat(d.phi(P, t)).isLessThan(0.1);
      assertThat(d.isAvailable(P, t)).isTrue();
    }
  }

  @Test
  void silenceRaisesPhiPastTheThresholdAfterMeanPlusPausePlusAFewDeviations() {
    PhiAccrualFailureDetector d = PhiAccrualFailureDetector.withDefaults();
    long last = beat(d, 0, 200, 1000);
    double previous = -1;
    long crossed = -1;
    for (long t = last; t <= last + 10_000; t += 50) {
      double phi = d.phi(P, t);
      assertThat(phi).isGreaterThanOrEqualTo(previous);
      previous = phi;
      if (crossed < 0 && !d.isAvailable(P, t)) {
        crossed = t - last;
      }
    }
    // mean 1 s + 3 s acceptable pause, deviation at its 100 ms floor: phi 8 at about +5.6 sd.
    assertThat(crossed).isBetween(4_400L, 4_800L);
    assertThat(d.phi(P, last + 10_000)).isGreaterThan(8);
  }

  @Test
  void heartbeatsThatResumeMakeThePeerAvailableAtOnceWithoutSkewingTheStatistics() {
    PhiAccrualFailureDetector d = strict();
    long last = beat(d, 0, 20, 1000);
    assertThat(d.phi(P, last + 1000)).isCloseTo(LOG10_2, within(1e-9));
    long back = last + 60_000;
    assertThat(d.isAvailable(P, back)).isFalse();

    d.heartbeat(P, back);

    assertThat(d.isAvailable(P, back)).isTrue();
    assertThat(d.phi(P, back)).isLessThan(1e-6);
    // the 60 s gap was not recorded: the next heartbeat is still expected after 1 s
    assertThat(d.phi(P, back + 1000)).isCloseTo(LOG10_2, within(1e-9));
  }

  @Test
  void zeroVarianceUsesTheMinimumDeviation() {
    PhiAccrualFailureDetector d = strict();
    long last = beat(d, 0, 20, 1000);
    // All ten intervals are exactly 1000 ms: deviation 0, so the 100 ms floor applies.
    assertThat(d.phi(P, last + 1000)).isCloseTo(LOG10_2, within(1e-9));
    assertThat(d.isAvailable(P, last + 1400)).isTrue();
    assertThat(d.isAvailable(P, last + 1700)).isFalse();
  }

  @Test
  void aWindowOfOneSampleFollowsTheLastInterval() {
    PhiAccrualFailureDetector d = new PhiAccrualFailureDetector(8, 1, Duration.ofMillis(100),
        Duration.ZERO, Duration.ofSeconds(1));
    long last = beat(d, 0, 5, 300);
    assertThat(d.phi(P, last + 300)).isCloseTo(LOG10_2, within(1e-9));
    assertThat(d.isAvailable(P, last + 1000)).isFalse();
  }

  @Test
  void theWindowIsBoundedSoOldIntervalsAreForgotten() {
    PhiAccrualFailureDetector d = new PhiAccrualFailureDetector(8, 1000, Duration.ofMillis(100),
        Duration.ZERO, Duration.ofSeconds(1));
    long t = beat(d, 0, 1000, 1000);
    t = beat(d, t + 100, 1000, 100);
    // Only the 100 ms intervals remain: deviation 0, so exactly log10(2) one interval later
    // (with the 1000 ms ones still counted, the mean would be 550 ms and phi near 0).
    assertThat(d.phi(P, t + 100)).isCloseTo(LOG10_2, within(1e-9));
  }

  @Test
  void aPeerHeardFromOnceIsJudgedOnTheFirstHeartbeatEstimate() {
    PhiAccrualFailureDetector d = PhiAccrualFailureDetector.withDefaults();
    d.heartbeat(P, 10_000);
    // estimate 1 s (deviation 250 ms) + 3 s pause
    assertThat(d.isAvailable(P, 10_000 + 4_000)).isTrue();
    assertThat(d.isAvailable(P, 10_000 + 6_500)).isFalse();
  }

  @Test
  void aPeerNeverHeardFromIsAvailableAndARemovedPeerStartsOver() {
    PhiAccrualFailureDetector d = strict();
    assertThat(d.phi(P, 123_456)).isZero();
    assertThat(d.isAvailable(P, Long.MAX_VALUE)).isTrue();
    beat(d, 0, 5, 1000);
    assertThat(d.isAvailable(P, 60_000)).isFalse();
    d.remove(P);
    assertThat(d.isAvailable(P, 60_000)).isTrue();
  }

  @Test
  void extremeTimesGiveNoNaNAndTheClockGoingBackIsIgnored() {
    PhiAccrualFailureDetector d = strict();
    long last = beat(d, 1_000_000, 20, 1000);
    assertThat(d.phi(P, last + 1_000_000_000L)).isNotNaN().isGreaterThan(8);
    assertThat(d.phi(P, Long.MAX_VALUE / 2)).isNotNaN().isGreaterThan(8);
    assertThat(d.phi(P, last - 500_000)).isNotNaN().isZero();
    d.heartbeat(P, last - 5_000);
    assertThat(d.phi(P, last + 1000)).isCloseTo(LOG10_2, within(1e-9));
  }

  @Test
  void parametersAreCheckedAndNamed() {
    Duration s = Duration.ofSeconds(1);
    assertThatThrownBy(() -> new PhiAccrualFailureDetector(0, 10, s, s, s))
        .isInstanceOf(RingkvException.class).hasMessageContaining("threshold 0.0 is invalid");
    assertThatThrownBy(() -> new PhiAccrualFailureDetector(Double.NaN, 10, s, s, s))
        .hasMessageContaining("threshold NaN is invalid");
    assertThatThrownBy(() -> new PhiAccrualFailureDetector(8, 0, s, s, s))
        .hasMessageContaining("max sample size 0 is invalid");
    assertThatThrownBy(() -> new PhiAccrualFailureDetector(8, 10, Duration.ZERO, s, s))
        .hasMessageContaining("min std deviation PT0S is invalid");
    assertThatThrownBy(() -> new PhiAccrualFailureDetector(8, 10, s, s.negated(), s))
        .hasMessageContaining("acceptable heartbeat pause PT-1S is invalid");
    assertThatThrownBy(() -> new PhiAccrualFailureDetector(8, 10, s, s, Duration.ZERO))
        .hasMessageContaining("first heartbeat estimate PT0S is invalid");
    assertThat(PhiAccrualFailureDetector.withDefaults().threshold()).isEqualTo(8.0);
  }
}
