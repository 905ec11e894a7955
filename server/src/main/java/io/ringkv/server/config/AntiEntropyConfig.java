package io.ringkv.server.config;

import io.ringkv.api.ConfigException;
import io.ringkv.replication.AntiEntropySettings;
import java.time.Duration;

/**
 * Merkle-tree anti-entropy ({@code antientropy.*}): whether and how often this node compares its
 * partitions with their other replicas, and how fast it repairs what differs.
 *
 * @param enabled {@code antientropy.enabled}: false stops this node's own rounds (it still
 *     answers its peers' exchanges and {@code ringkv repair}); tombstones are then reaped only by
 *     the rounds of the other nodes
 * @param interval {@code antientropy.interval}: how often a round over every partition starts
 *     (a round still running when the next is due lets it pass)
 * @param keysPerSecond {@code antientropy.max.rate}, the keys part (0: no limit)
 * @param bytesPerSecond {@code antientropy.max.rate}, the bytes part (0: no limit)
 */
public record AntiEntropyConfig(boolean enabled, Duration interval, long keysPerSecond,
    long bytesPerSecond) {
  /** On, every 30 s, 2000 keys/s and 8 MiB/s. */
  public static final AntiEntropyConfig DEFAULTS = new AntiEntropyConfig(true,
      Duration.ofSeconds(30), 2_000, 8L << 20);

  public AntiEntropyConfig {
    if (interval == null || interval.compareTo(Duration.ofMillis(100)) < 0) {
      throw new ConfigException(ConfigKeys.ANTIENTROPY_INTERVAL, String.valueOf(interval),
          "must be at least 100ms");
    }
    if (keysPerSecond < 0 || bytesPerSecond < 0) {
      throw new ConfigException(ConfigKeys.ANTIENTROPY_MAX_RATE, keysPerSecond + "/s, "
          + bytesPerSecond + " bytes/s", "rates must be 0 (no limit) or more");
    }
  }

  /** The replication layer's settings for these values. */
  public AntiEntropySettings settings() {
    return AntiEntropySettings.DEFAULTS.withEnabled(enabled).withInterval(interval)
        .withRate(keysPerSecond, bytesPerSecond);
  }
}
