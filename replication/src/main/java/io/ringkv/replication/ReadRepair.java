package io.ringkv.replication;

import io.ringkv.api.Bytes;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;
import io.ringkv.api.Versioned;
import io.ringkv.replication.api.ReplicaNetwork;
import io.ringkv.replication.api.ReplicaRequest;
import io.ringkv.storage.spi.StorageEngine;
import io.ringkv.versioning.Reconciled;
import io.ringkv.versioning.Reconciler;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a finished read does with everything it saw, in the background: sends the reconciled set
 * (of every answer, fall-backs' hints included) to every primary that answered with less (read
 * repair; a fall-back is never written to, its hints go to their owner), and removes a key's
 * tombstones everywhere when it is safe (reaping): every primary answered itself with the same
 * tombstones, no fall-back stood in, no hint for the key is held here, and every tombstone is
 * older than the tombstone grace (longer than any hint is kept, so no hint of a version the
 * delete superseded can bring it back). Best effort on each replica: one that refuses (disk full,
 * too large) never stops the others.
 */
final class ReadRepair {
  private static final Logger log = LoggerFactory.getLogger(ReadRepair.class);

  private final NodeId self;
  private final StorageEngine engine;
  private final ReplicaNetwork network;
  private final ReplicationSettings settings;
  private final HintedHandoff handoff;
  private final Clock clock;

  ReadRepair(NodeId self, StorageEngine engine, ReplicaNetwork network,
      ReplicationSettings settings, HintedHandoff handoff, Clock clock) {
    this.self = self;
    this.engine = engine;
    this.network = network;
    this.settings = settings;
    this.handoff = handoff;
    this.clock = clock;
  }

  void repair(Plan plan, ReadRound.Seen seen) {
    Key key = plan.key();
    Reconciled r = Reconciler.reconcile(seen.answers());
    boolean primaryStale = false;
    for (NodeId stale : r.stale()) {
      if (!seen.primaries().contains(stale)) {
        continue; // a fall-back: its hints go to their owner, it is never written to
      }
      primaryStale = true;
      if (settings.readRepair()) {
        log.debug("read repair of {} on {}", key, stale);
        storeOn(stale, key, r.merged());
      }
    }
    if (settings.reapTombstones() && !primaryStale && r.merged().isDeleted()
        && seen.primaries().size() == plan.primaries().size() && !seen.fallbackAnswered()
        && pastGrace(r.merged()) && handoff.pendingFor(key).isEmpty()) {
      reap(plan, r.merged());
    }
  }

  private boolean pastGrace(Siblings tombstones) {
    long cutoff = clock.millis() - settings.tombstoneGrace().toMillis();
    for (Versioned<Bytes> v : tombstones.versions()) {
      if (v.timestamp() > cutoff) {
        return false;
      }
    }
    return true;
  }

  private void reap(Plan plan, Siblings tombstones) {
    for (NodeId node : plan.primaries()) {
      if (node.equals(self)) {
        try {
          engine.removeIfEquals(plan.key(), tombstones);
        } catch (RuntimeException e) {
          // Reaping is best effort (a full disk refuses the removal record): the others are still asked.
          log.warn("reaping the tombstone of {} on this node failed: {}", plan.key(), e.getMessage());
        }
      } else {
        network.send(node, new ReplicaRequest.Reap(plan.key(), tombstones));
      }
    }
  }

  private void storeOn(NodeId node, Key key, Siblings siblings) {
    if (node.equals(self)) {
      try {
        engine.put(key, siblings);
      } catch (RuntimeException e) {
        // Best effort, like a repair a peer fails: the other stale replicas are still repaired.
        log.warn("read repair of {} on this node failed: {}", key, e.getMessage());
      }
    } else {
      network.send(node, new ReplicaRequest.Store(key, siblings));
    }
  }
}
