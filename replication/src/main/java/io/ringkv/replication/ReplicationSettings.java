package io.ringkv.replication;

import io.ringkv.versioning.PruningPolicy;
import java.time.Duration;

/**
 * Coordinator settings.
 *
 * @param requestTimeout how long a get or put waits for its quorum (per-request override allowed)
 * @param forwardMargin extra time a forwarding node waits beyond the coordinator's timeout
 * @param pruning how large a stored causal context may grow
 * @param readRepair whether stale replicas seen by a get are sent the reconciled versions
 * @param reapTombstones whether a get that finds the same tombstones on all N replicas removes them
 */
public record ReplicationSettings(Duration requestTimeout, Duration forwardMargin,
    PruningPolicy pruning, boolean readRepair, boolean reapTombstones) {
  public static final ReplicationSettings DEFAULTS = new ReplicationSettings(
      Duration.ofSeconds(2), Duration.ofMillis(500), PruningPolicy.DEFAULT, true, true);

  public ReplicationSettings {
    if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive, was " + requestTimeout);
    }
    if (forwardMargin == null || forwardMargin.isNegative()) {
      throw new IllegalArgumentException("forwardMargin must be >= 0, was " + forwardMargin);
    }
    if (pruning == null) {
      throw new IllegalArgumentException("pruning policy must not be null");
    }
  }

  public ReplicationSettings withRequestTimeout(Duration timeout) {
    return new ReplicationSettings(timeout, forwardMargin, pruning, readRepair, reapTombstones);
  }

  public ReplicationSettings withPruning(PruningPolicy policy) {
    return new ReplicationSettings(requestTimeout, forwardMargin, policy, readRepair, reapTombstones);
  }

  public ReplicationSettings withReapTombstones(boolean reap) {
    return new ReplicationSettings(requestTimeout, forwardMargin, pruning, readRepair, reap);
  }
}
