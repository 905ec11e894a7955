package io.ringkv.server.config;

import io.ringkv.api.ConfigException;
import io.ringkv.api.QuorumSpec;
import io.ringkv.replication.ReplicationSettings;
import io.ringkv.versioning.ContextCodec;
import io.ringkv.versioning.PruningPolicy;
import java.time.Duration;

/**
 * Replication defaults: the quorum of buckets that declare none ({@code replication.n/r/w}),
 * how long a request waits for its quorum ({@code replication.timeout}), and how many entries a
 * stored causal context keeps before the oldest are pruned ({@code replication.max-clock-entries}).
 */
public record ReplicationConfig(QuorumSpec defaults, Duration requestTimeout, int maxClockEntries) {
  /** N=3, R=2, W=2, 2 s, 64 clock entries. */
  public static final ReplicationConfig DEFAULTS = new ReplicationConfig(
      new QuorumSpec(3, 2, 2), Duration.ofSeconds(2), PruningPolicy.DEFAULT.maxEntries());

  public ReplicationConfig {
    if (defaults == null) {
      throw new ConfigException("replication.n/r/w", null, "a default quorum is required");
    }
    if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new ConfigException("replication.timeout", String.valueOf(requestTimeout),
          "must be a positive duration");
    }
    if (maxClockEntries < 1 || maxClockEntries > ContextCodec.MAX_ENTRIES) {
      throw new ConfigException("replication.max-clock-entries", String.valueOf(maxClockEntries),
          "must be between 1 and " + ContextCodec.MAX_ENTRIES);
    }
  }

  /** The coordinator's settings: these values, the rest at replication's defaults. */
  public ReplicationSettings settings() {
    return ReplicationSettings.DEFAULTS.withRequestTimeout(requestTimeout)
        .withPruning(new PruningPolicy(maxClockEntries));
  }
}
