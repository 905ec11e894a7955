package io.ringkv.replication;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.Key;
import io.ringkv.api.QuorumSpec;
import io.ringkv.api.RequestOptions;
import io.ringkv.api.RingkvException;
import io.ringkv.ring.Ring;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Turns a request's key and options into its {@link Plan}: the one place a request's quorum, its
 * preference list and its timeout are computed. A broken quorum override is refused here, before
 * anything is sent.
 */
final class Planner {
  private final Supplier<Ring> ring;
  private final BucketPolicies policies;
  private final ReplicationSettings settings;

  Planner(Supplier<Ring> ring, BucketPolicies policies, ReplicationSettings settings) {
    this.ring = ring;
    this.policies = policies;
    this.settings = settings;
  }

  /**
   * @throws RingkvException with {@code INVALID_QUORUM} when the overrides break the quorum rule
   *     (or ask for more primaries than n), or {@code UNAVAILABLE} when this node has no ring yet
   */
  Plan plan(Key key, RequestOptions options) {
    BucketPolicy policy = policies.policyFor(key.bucket());
    QuorumSpec quorum = policy.quorum().withOverrides(options.r(), options.w());
    if (options.pr() > quorum.n() || options.pw() > quorum.n()) {
      String which = options.pr() > quorum.n() ? "pr=" + options.pr() : "pw=" + options.pw();
      throw new RingkvException(ErrorCode.INVALID_QUORUM, which + " asks for more primaries than"
          + " the key has: 0 <= pr, pw <= n is required (n=" + quorum.n() + ")");
    }
    Duration timeout = options.timeout() != null ? options.timeout() : settings.requestTimeout();
    return new Plan(key, policy, quorum, options.pr(), options.pw(),
        ring.get().preferenceList(key, quorum.n()), timeout);
  }

  ReplicationSettings settings() {
    return settings;
  }
}
