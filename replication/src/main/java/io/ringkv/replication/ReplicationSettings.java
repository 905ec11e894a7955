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
 * @param replicaTimeout how long a write waits for one primary before it sends that primary's copy
 *     to a fall-back (sloppy quorum); capped at half the request's timeout
 */
public record ReplicationSettings(Duration requestTimeout, Duration forwardMargin,
    PruningPolicy pruning, boolean readRepair, Duration replicaTimeout) {
  public static final ReplicationSettings DEFAULTS = new ReplicationSettings(
      Duration.ofSeconds(2), Duration.ofMillis(500), PruningPolicy.DEFAULT, true,
      Duration.ofSeconds(1));

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
    if (replicaTimeout == null || replicaTimeout.isNegative() || replicaTimeout.isZero()) {
      throw new IllegalArgumentException("replicaTimeout must be positive, was " + replicaTimeout);
    }
  }

  public ReplicationSettings withRequestTimeout(Duration timeout) {
    return new ReplicationSettings(timeout, forwardMargin, pruning, readRepair, replicaTimeout);
  }

  public ReplicationSettings withPruning(PruningPolicy policy) {
    return new ReplicationSettings(requestTimeout, forwardMargin, policy, readRepair,
        replicaTimeout);
  }

  public ReplicationSettings withReadRepair(boolean on) {
    return new ReplicationSettings(requestTimeout, forwardMargin, pruning, on, replicaTimeout);
  }

  public ReplicationSettings withReplicaTimeout(Duration timeout) {
    return new ReplicationSettings(requestTimeout, forwardMargin, pruning, readRepair, timeout);
  }

  /** How long a write waits for one replica of a request that may wait {@code requestWait}. */
  Duration replicaWait(Duration requestWait) {
    Duration half = requestWait.dividedBy(2);
    return replicaTimeout.compareTo(half) < 0 ? replicaTimeout : half;
  }
}
