package io.ringkv.replication;

import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.QuorumSpec;
import io.ringkv.ring.PreferenceList;
import java.time.Duration;
import java.util.List;

/**
 * What a client request needs decided once, on the node that handles it: the bucket's policy, the
 * quorum after the request's overrides (already checked against the quorum rule), how many
 * primaries must answer a read ({@code pr}) or acknowledge a write ({@code pw}), the key's
 * preference list in the current ring, how long the request may wait, and (while a ring change
 * is in progress) the key's replicas in the next ring that are not replicas now: writes reach
 * them too, counted in no quorum. Made by
 * {@link Planner} and handed down, so nothing below the router looks them up again.
 */
record Plan(Key key, BucketPolicy policy, QuorumSpec quorum, int pr, int pw,
    PreferenceList preference, Duration timeout, List<NodeId> incoming) {

  Plan(Key key, BucketPolicy policy, QuorumSpec quorum, int pr, int pw, PreferenceList preference,
      Duration timeout) {
    this(key, policy, quorum, pr, pw, preference, timeout, List.of());
  }

  /** The key's N replicas, in preference order. */
  List<NodeId> primaries() {
    return preference.primaries();
  }

  /** Whether fall-backs may stand in for primaries that are down. */
  boolean sloppy() {
    return policy.sloppy();
  }
}
