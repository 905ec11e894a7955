package io.ringkv.membership;

import io.ringkv.api.NodeId;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's opinion of which peers are up. A peer is heard from whenever its gossiped
 * (incarnation, heartbeat) grows, through whichever peer the news came (as in Cassandra), and
 * the first time it is seen at all; the phi accrual detector turns those arrivals into up or
 * down. A peer that refused a connection is {@linkplain #suspect suspected}: down at once, until
 * news of it newer than what was known when it refused arrives. Thread-safe: {@link #isUp} is
 * read by request paths without the membership lock.
 */
final class Liveness {
  private static final Logger LOG = LoggerFactory.getLogger(Liveness.class);

  private final NodeId self;
  private final PhiAccrualFailureDetector detector;
  /** The last (incarnation, heartbeat) seen per peer. */
  private final Map<NodeId, long[]> seen = new ConcurrentHashMap<>();
  /** The last up/down reported per peer, for logging transitions. */
  private final Map<NodeId, Boolean> reported = new ConcurrentHashMap<>();
  /** Peers that refused a connection, with the (incarnation, heartbeat) known then. */
  private final Map<NodeId, long[]> suspected = new ConcurrentHashMap<>();

  Liveness(NodeId self, PhiAccrualFailureDetector detector) {
    this.self = self;
    this.detector = detector;
  }

  /** A peer whose up/down state changed: the transitions {@link #logTransitions} finds. */
  record Transition(NodeId node, boolean up) {}

  /** Records a heartbeat for every peer whose entry in the state shows it alive since last time. */
  void observe(ClusterState state, long nowMillis) {
    for (Member m : state.members().values()) {
      if (m.id().equals(self)) {
        continue;
      }
      long[] last = seen.get(m.id());
      if (last == null) {
        detector.heartbeat(m.id(), nowMillis);
      } else if (m.incarnation() > last[0]) {
        detector.remove(m.id());
        detector.heartbeat(m.id(), nowMillis);
      } else if (m.incarnation() == last[0] && m.heartbeat() > last[1]) {
        detector.heartbeat(m.id(), nowMillis);
      } else {
        continue;
      }
      seen.put(m.id(), new long[] {m.incarnation(), m.heartbeat()});
      long[] when = suspected.get(m.id());
      if (when != null && (m.incarnation() > when[0]
          || m.incarnation() == when[0] && m.heartbeat() > when[1])) {
        suspected.remove(m.id());
      }
    }
  }

  /**
   * Gives every peer of the state a fresh start at {@code nowMillis}, as if each had just been
   * heard from: at {@link Membership#start}, since a node restarted from its stored state may
   * have been built long before it starts gossiping.
   */
  void rebase(ClusterState state, long nowMillis) {
    for (Member m : state.members().values()) {
      if (!m.id().equals(self)) {
        detector.remove(m.id());
        detector.heartbeat(m.id(), nowMillis);
        seen.put(m.id(), new long[] {m.incarnation(), m.heartbeat()});
      }
    }
  }

  /**
   * Marks the peer down now (it refused a connection), until gossip brings news of it newer than
   * what is known now. True if it was not suspected already.
   */
  boolean suspect(NodeId node) {
    if (node.equals(self)) {
      return false;
    }
    long[] last = seen.getOrDefault(node, new long[] {-1, -1});
    return suspected.put(node, last.clone()) == null;
  }

  /** Self is always up; a node never heard of is not; others as the detector says. */
  boolean isUp(NodeId node, long nowMillis) {
    Objects.requireNonNull(node, "node");
    if (node.equals(self)) {
      return true;
    }
    return seen.containsKey(node) && !suspected.containsKey(node)
        && detector.isAvailable(node, nowMillis);
  }

  /**
   * Logs, at INFO, every peer whose up/down state changed since the last call, and returns them
   * (for listeners, told by the caller once it holds no lock).
   */
  java.util.List<Transition> logTransitions(ClusterState state, long nowMillis) {
    java.util.List<Transition> changes = new java.util.ArrayList<>();
    for (NodeId node : state.members().keySet()) {
      if (node.equals(self)) {
        continue;
      }
      boolean up = isUp(node, nowMillis);
      Boolean before = reported.put(node, up);
      if (before == null ? !up : before != up) {
        LOG.info("{} sees {} {} (phi {}{})", self, node, up ? "UP" : "DOWN",
            String.format("%.1f", detector.phi(node, nowMillis)),
            suspected.containsKey(node) ? ", refused a connection" : "");
        changes.add(new Transition(node, up));
      }
    }
    return changes;
  }
}
