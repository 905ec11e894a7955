package io.ringkv.replication;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.QuorumSpec;
import io.ringkv.api.RequestOptions;
import io.ringkv.api.RingkvException;
import io.ringkv.ring.PreferenceList;
import io.ringkv.ring.Ring;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
  private final Supplier<Optional<RingChange>> change;

  Planner(Supplier<Ring> ring, BucketPolicies policies, ReplicationSettings settings) {
    this(ring, policies, settings, Optional::empty);
  }

  Planner(Supplier<Ring> ring, BucketPolicies policies, ReplicationSettings settings,
      Supplier<Optional<RingChange>> change) {
    this.ring = ring;
    this.policies = policies;
    this.settings = settings;
    this.change = change;
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
    PreferenceList preference = ring.get().preferenceList(key, quorum.n());
    return new Plan(key, policy, quorum, options.pr(), options.pw(), preference, timeout,
        incoming(key, quorum.n(), preference));
  }

  /** The key's replicas in the next ring (of a change in progress) that are not replicas now. */
  private List<NodeId> incoming(Key key, int n, PreferenceList preference) {
    Optional<RingChange> c = change.get();
    if (c.isEmpty()) {
      return List.of();
    }
    List<NodeId> out = new ArrayList<>(1);
    for (NodeId node : c.get().next().preferenceList(key, n).primaries()) {
      if (!preference.primaries().contains(node) && !c.get().gone().contains(node)) {
        out.add(node);
      }
    }
    return out;
  }

  ReplicationSettings settings() {
    return settings;
  }
}
