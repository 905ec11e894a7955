package io.ringkv.replication;

/**
 * A two-dimensional pay-later rate limit (keys per second and bytes per second, 0 meaning no
 * limit): each {@link #reserve} books its cost at once and says how long to wait before going
 * ahead, so a caller that always waits as told never goes faster than either rate over any
 * period longer than one reservation. Thread-safe.
 */
final class RateLimiter {
  private final long keysPerSecond;
  private final long bytesPerSecond;
  private double nextFreeMillis = Double.NEGATIVE_INFINITY;

  RateLimiter(long keysPerSecond, long bytesPerSecond) {
    if (keysPerSecond < 0 || bytesPerSecond < 0) {
      throw new IllegalArgumentException("rates must be >= 0 (0: no limit), were "
          + keysPerSecond + " keys/s and " + bytesPerSecond + " bytes/s");
    }
    this.keysPerSecond = keysPerSecond;
    this.bytesPerSecond = bytesPerSecond;
  }

  /** Books {@code keys} and {@code bytes} at {@code nowMillis}; returns the milliseconds to wait. */
  synchronized long reserve(long keys, long bytes, long nowMillis) {
    double cost = Math.max(
        keysPerSecond == 0 ? 0 : keys * 1000.0 / keysPerSecond,
        bytesPerSecond == 0 ? 0 : bytes * 1000.0 / bytesPerSecond);
    double start = Math.max(nextFreeMillis, nowMillis);
    nextFreeMillis = start + cost;
    return (long) Math.ceil(start - nowMillis);
  }

  long keysPerSecond() {
    return keysPerSecond;
  }
}
