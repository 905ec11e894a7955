package io.ringkv.server.config;

import io.ringkv.api.ConfigException;
import io.ringkv.api.QuorumSpec;
import io.ringkv.replication.ReplicationSettings;
import io.ringkv.versioning.ContextCodec;
import io.ringkv.versioning.PruningPolicy;
import java.time.Duration;

/**
 * Replication defaults: the quorum of buckets that declare none ({@code replication.n/r/w}),
 * how long a request waits for its quorum ({@code replication.timeout.ms}), how many entries a
 * stored causal context keeps before the oldest are pruned
 * ({@code replication.max.clock.entries}), and how long a write waits for one primary before a
 * fall-back takes its copy ({@code replication.replica.timeout.ms}).
 */
public record ReplicationConfig(QuorumSpec defaults, Duration requestTimeout, int maxClockEntries,
    Duration replicaTimeout) {
  /** N=3, R=2, W=2, 2 s, 64 clock entries, 1 s per replica. */
  public static final ReplicationConfig DEFAULTS = new ReplicationConfig(
      new QuorumSpec(3, 2, 2), Duration.ofSeconds(2), PruningPolicy.DEFAULT.maxEntries(),
      Duration.ofSeconds(1));

  /** With the default replica timeout: half the request timeout, at most 1 s. */
  public ReplicationConfig(QuorumSpec defaults, Duration requestTimeout, int maxClockEntries) {
    this(defaults, requestTimeout, maxClockEntries, defaultReplicaTimeout(requestTimeout));
  }

  private static Duration defaultReplicaTimeout(Duration requestTimeout) {
    if (requestTimeout == null || requestTimeout.compareTo(Duration.ofSeconds(2)) >= 0) {
      return Duration.ofSeconds(1);
    }
    Duration half = requestTimeout.dividedBy(2);
    return half.isZero() ? Duration.ofNanos(Math.max(1, requestTimeout.toNanos() / 2)) : half;
  }

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
    if (replicaTimeout == null || replicaTimeout.isNegative() || replicaTimeout.isZero()
        || replicaTimeout.compareTo(requestTimeout) >= 0) {
      throw new ConfigException(ConfigKeys.REPLICATION_REPLICA_TIMEOUT_MS,
          replicaTimeout == null ? null : String.valueOf(replicaTimeout.toMillis()),
          "must be positive and less than " + ConfigKeys.REPLICATION_TIMEOUT_MS + " ("
              + requestTimeout.toMillis() + "), or a fall-back would take a down primary's copy "
              + "only after the client was answered");
    }
  }

  /** The coordinator's settings: these values, the rest at replication's defaults. */
  public ReplicationSettings settings() {
    return ReplicationSettings.DEFAULTS.withRequestTimeout(requestTimeout)
        .withPruning(new PruningPolicy(maxClockEntries)).withReplicaTimeout(replicaTimeout);
  }
}
