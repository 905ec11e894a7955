package io.ringkv.server.config;

import io.ringkv.api.ConfigException;
import io.ringkv.replication.HandoffSettings;
import java.time.Duration;
import java.util.Locale;

/**
 * Hinted handoff ({@code handoff.*}): how often a node looks for owners that are back, how fast
 * it replays their hints, and how many it keeps.
 *
 * @param interval {@code handoff.interval.ms}
 * @param hintsPerSecond {@code handoff.max.rate}, the hints part (0: no limit)
 * @param bytesPerSecond {@code handoff.max.rate}, the bytes part (0: no limit)
 * @param maxHintAge {@code handoff.max.hint.age}: older hints are dropped, not replayed
 * @param maxHintBytes {@code handoff.max.hint.bytes}: the most kept per target; past it the
 *     oldest are dropped
 */
public record HandoffConfig(Duration interval, long hintsPerSecond, long bytesPerSecond,
    Duration maxHintAge, long maxHintBytes) {
  /** Every 1 s; 2000 hints/s and 16 MiB/s per target; 3 h; 256 MiB per target. */
  public static final HandoffConfig DEFAULTS = new HandoffConfig(Duration.ofSeconds(1), 2_000,
      16L << 20, Duration.ofHours(3), 256L << 20);

  public HandoffConfig {
    if (interval == null || interval.isNegative() || interval.isZero()) {
      throw new ConfigException(ConfigKeys.HANDOFF_INTERVAL_MS, String.valueOf(interval),
          "must be a positive number of milliseconds");
    }
    if (hintsPerSecond < 0 || bytesPerSecond < 0) {
      throw new ConfigException(ConfigKeys.HANDOFF_MAX_RATE, hintsPerSecond + "/s, "
          + bytesPerSecond + " bytes/s", "rates must be 0 (no limit) or more");
    }
    if (maxHintAge == null || maxHintAge.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new ConfigException(ConfigKeys.HANDOFF_MAX_HINT_AGE, String.valueOf(maxHintAge),
          "must be at least 1s");
    }
    if (maxHintBytes < 1024) {
      throw new ConfigException(ConfigKeys.HANDOFF_MAX_HINT_BYTES, String.valueOf(maxHintBytes),
          "must be at least 1k");
    }
  }

  /** The replication layer's settings for these values. */
  public HandoffSettings settings() {
    return HandoffSettings.DEFAULTS.withInterval(interval)
        .withRate(hintsPerSecond, bytesPerSecond).withMaxHintAge(maxHintAge)
        .withMaxHintBytes(maxHintBytes);
  }

  /**
   * Parses {@code handoff.max.rate}: one or two comma-separated limits per second, a bare number
   * for hints ({@code 2000/s}) and a size for bytes ({@code 16m/s}; suffix b, k, m or g). A limit
   * left out is none.
   *
   * @return {hints per second, bytes per second}
   * @throws IllegalArgumentException naming the part that is neither
   */
  public static long[] parseRate(String text) {
    long[] out = {0, 0};
    boolean[] seen = {false, false};
    for (String part : text.split(",")) {
      String p = part.trim().toLowerCase(Locale.ROOT);
      if (p.isEmpty()) {
        continue;
      }
      if (!p.endsWith("/s")) {
        throw new IllegalArgumentException("'" + part.trim() + "' is not a rate: write hints per "
            + "second as 2000/s and bytes per second as 16m/s");
      }
      String amount = p.substring(0, p.length() - 2).trim();
      boolean bytes = !amount.isEmpty() && !Character.isDigit(amount.charAt(amount.length() - 1));
      int slot = bytes ? 1 : 0;
      if (seen[slot]) {
        throw new IllegalArgumentException("'" + text.trim() + "' gives the " + (bytes ? "bytes"
            : "hints") + " per second twice");
      }
      seen[slot] = true;
      out[slot] = bytes ? Sizes.parse(amount) : Long.parseLong(amount);
    }
    return out;
  }
}
