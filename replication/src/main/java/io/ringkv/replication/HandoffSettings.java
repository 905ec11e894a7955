package io.ringkv.replication;

import java.time.Duration;

/**
 * Hinted handoff: how hints are replayed to their owner once it is back, and how much is kept.
 *
 * @param interval how often this node looks for owners that are back (and expires old hints)
 * @param maxHintsPerSecond replay rate limit per target, in hints (0: no limit)
 * @param maxBytesPerSecond replay rate limit per target, in bytes (0: no limit)
 * @param maxHintAge hints older than this are dropped, not replayed
 * @param maxHintBytes the most hint bytes kept per target; past it the oldest are dropped
 * @param batch how many hints are in flight to one target at a time
 */
public record HandoffSettings(Duration interval, long maxHintsPerSecond, long maxBytesPerSecond,
    Duration maxHintAge, long maxHintBytes, int batch) {
  /** Every second; 2 000 hints/s and 16 MiB/s; 3 hours; 256 MiB per target; 64 at a time. */
  public static final HandoffSettings DEFAULTS = new HandoffSettings(Duration.ofSeconds(1),
      2_000, 16L << 20, Duration.ofHours(3), 256L << 20, 64);

  public HandoffSettings {
    if (interval == null || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("handoff interval must be positive, was " + interval);
    }
    if (maxHintsPerSecond < 0 || maxBytesPerSecond < 0) {
      throw new IllegalArgumentException("handoff rates must be >= 0 (0: no limit), were "
          + maxHintsPerSecond + " hints/s and " + maxBytesPerSecond + " bytes/s");
    }
    if (maxHintAge == null || maxHintAge.isNegative() || maxHintAge.isZero()) {
      throw new IllegalArgumentException("the maximum hint age must be positive, was " + maxHintAge);
    }
    if (maxHintBytes < 1) {
      throw new IllegalArgumentException("the maximum hint bytes must be positive, was "
          + maxHintBytes);
    }
    if (batch < 1) {
      throw new IllegalArgumentException("the handoff batch must be at least 1, was " + batch);
    }
  }

  public HandoffSettings withInterval(Duration d) {
    return new HandoffSettings(d, maxHintsPerSecond, maxBytesPerSecond, maxHintAge, maxHintBytes,
        batch);
  }

  public HandoffSettings withRate(long hintsPerSecond, long bytesPerSecond) {
    return new HandoffSettings(interval, hintsPerSecond, bytesPerSecond, maxHintAge, maxHintBytes,
        batch);
  }

  public HandoffSettings withMaxHintAge(Duration age) {
    return new HandoffSettings(interval, maxHintsPerSecond, maxBytesPerSecond, age, maxHintBytes,
        batch);
  }

  public HandoffSettings withMaxHintBytes(long bytes) {
    return new HandoffSettings(interval, maxHintsPerSecond, maxBytesPerSecond, maxHintAge, bytes,
        batch);
  }
}
