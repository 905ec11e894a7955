package io.ringkv.replication;

import java.time.Duration;

/**
 * Merkle-tree anti-entropy.
 *
 * @param enabled whether this node starts exchanges on its schedule (it always answers peers'
 *     exchanges and {@code ringkv repair})
 * @param interval the pause between the end of one round over every partition and the start of
 *     the next
 * @param maxKeysPerSecond repair rate limit in keys (0: no limit), over all of this node's exchanges
 * @param maxBytesPerSecond repair rate limit in value bytes moved (0: no limit)
 * @param reapTombstones whether a round that finds a key's tombstones on every replica, unchanged
 *     since a round at least twice the request timeout earlier, with no ring change in progress
 *     and no hint or stray copy of the key on any member, removes them
 */
public record AntiEntropySettings(boolean enabled, Duration interval, long maxKeysPerSecond,
    long maxBytesPerSecond, boolean reapTombstones) {
  /** Every 30 s; 2 000 keys/s and 8 MiB/s; tombstones reaped. */
  public static final AntiEntropySettings DEFAULTS = new AntiEntropySettings(true,
      Duration.ofSeconds(30), 2_000, 8L << 20, true);

  public AntiEntropySettings {
    if (interval == null || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("anti-entropy interval must be positive, was " + interval);
    }
    if (maxKeysPerSecond < 0 || maxBytesPerSecond < 0) {
      throw new IllegalArgumentException("anti-entropy rates must be >= 0 (0: no limit), were "
          + maxKeysPerSecond + " keys/s and " + maxBytesPerSecond + " bytes/s");
    }
  }

  public AntiEntropySettings withEnabled(boolean on) {
    return new AntiEntropySettings(on, interval, maxKeysPerSecond, maxBytesPerSecond,
        reapTombstones);
  }

  public AntiEntropySettings withInterval(Duration d) {
    return new AntiEntropySettings(enabled, d, maxKeysPerSecond, maxBytesPerSecond, reapTombstones);
  }

  public AntiEntropySettings withRate(long keysPerSecond, long bytesPerSecond) {
    return new AntiEntropySettings(enabled, interval, keysPerSecond, bytesPerSecond,
        reapTombstones);
  }

  public AntiEntropySettings withReapTombstones(boolean reap) {
    return new AntiEntropySettings(enabled, interval, maxKeysPerSecond, maxBytesPerSecond, reap);
  }
}
