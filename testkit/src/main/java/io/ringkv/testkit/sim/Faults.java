package io.ringkv.testkit.sim;

/**
 * What the simulated network does to each message: drop it, deliver it twice, delay it by a
 * uniform random time in [minDelayMs, maxDelayMs].
 */
public record Faults(double dropRate, double duplicateRate, long minDelayMs, long maxDelayMs) {
  public static final Faults NONE = new Faults(0, 0, 1, 1);

  public Faults {
    if (dropRate < 0 || dropRate >= 1 || duplicateRate < 0 || duplicateRate >= 1) {
      throw new IllegalArgumentException("rates must be in [0, 1)");
    }
    if (minDelayMs < 0 || maxDelayMs < minDelayMs) {
      throw new IllegalArgumentException("need 0 <= minDelayMs <= maxDelayMs");
    }
  }
}
