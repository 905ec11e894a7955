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
 * down. Thread-safe: {@link #isUp} is read by request paths without the membership lock.
 */
final class Liveness {
  private static final Logger LOG = LoggerFactory.getLogger(Liveness.class);

  private final NodeId self;
  private final PhiAccrualFailureDetector detector;
  /** The last (incarnation, heartbeat) seen per peer. */
  private final Map<NodeId, long[]> seen = new ConcurrentHashMap<>();
  /** The last up/down reported per peer, for logging transitions. */
  private final Map<NodeId, Boolean> reported = new ConcurrentHashMap<>();

  Liveness(NodeId self, PhiAccrualFailureDetector detector) {
    this.self = self;
    this.detector = detector;
  }

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
    }
  }

  /** Self is always up; a node never heard of is not; others as the detector says. */
  boolean isUp(NodeId node, long nowMillis) {
    Objects.requireNonNull(node, "node");
    if (node.equals(self)) {
      return true;
    }
    return seen.containsKey(node) && detector.isAvailable(node, nowMillis);
  }

  /** Logs, at INFO, every peer whose up/down state changed since the last call. */
  void logTransitions(ClusterState state, long nowMillis) {
    for (NodeId node : state.members().keySet()) {
      if (node.equals(self)) {
        continue;
      }
      boolean up = isUp(node, nowMillis);
      Boolean before = reported.put(node, up);
      if (before == null ? !up : before != up) {
        LOG.info("{} sees {} {} (phi {})", self, node, up ? "UP" : "DOWN",
            String.format("%.1f", detector.phi(node, nowMillis)));
      }
    }
  }
}
