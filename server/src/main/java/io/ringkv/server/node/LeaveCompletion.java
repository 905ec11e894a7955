package io.ringkv.server.node;

import io.ringkv.membership.ClusterState;
import io.ringkv.membership.Member;
import io.ringkv.membership.Membership;
import io.ringkv.replication.ReplicaNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A leaving node reports {@code left} only once it has handed everything off: the ring no longer
 * holds it, no ring change is in progress, its engine holds no key (each partition went to its
 * new replicas before this node removed its copies), and it holds no hint for a member (those
 * for removed members do not count). Checked every second; only then may it be stopped.
 */
final class LeaveCompletion {
  private static final Logger log = LoggerFactory.getLogger(LeaveCompletion.class);

  private LeaveCompletion() {}

  static void check(Membership membership, ReplicaNode replica) {
    try {
      ClusterState state = membership.current();
      Member me = state.members().get(membership.self());
      if (me == null || me.status() != Member.Status.LEAVING
          || state.ringOwners().contains(membership.self()) || state.pendingVersion() > 0) {
        return;
      }
      long held = replica.engine().keyCount();
      if (held > 0) {
        log.debug("{} is out of the ring; {} keys still to hand off", membership.self(), held);
        return;
      }
      for (var target : replica.hintBacklogs().keySet()) {
        Member t = state.members().get(target);
        if (t != null && t.status() != Member.Status.LEFT) {
          log.debug("{} is out of the ring; it still holds hints for {}", membership.self(),
              target);
          return; // handed off once the target is up; hints for removed nodes do not count
        }
      }
      membership.completeLeave();
      log.info("{} handed every partition off: it has left the cluster and may be stopped",
          membership.self());
    } catch (RuntimeException e) {
      log.warn("checking whether this node's leave is complete failed", e);
    }
  }
}
