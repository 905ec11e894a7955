package io.ringkv.replication;

import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;
import io.ringkv.replication.api.ReplicaNetwork;
import io.ringkv.replication.api.ReplicaRequest;
import io.ringkv.storage.spi.StorageEngine;
import io.ringkv.versioning.Reconciled;
import io.ringkv.versioning.Reconciler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a finished read does with everything it saw, in the background: sends the reconciled set
 * (of every answer, fall-backs' hints included) to every primary that answered with less (read
 * repair; a fall-back is never written to, its hints go to their owner). Tombstones are never
 * removed here: anti-entropy reaps them once every replica holds them ({@link AntiEntropy}). Best
 * effort on each replica: one that refuses (disk full, too large) never stops the others.
 */
final class ReadRepair {
  private static final Logger log = LoggerFactory.getLogger(ReadRepair.class);

  private final NodeId self;
  private final StorageEngine engine;
  private final ReplicaNetwork network;
  private final ReplicationSettings settings;

  ReadRepair(NodeId self, StorageEngine engine, ReplicaNetwork network,
      ReplicationSettings settings) {
    this.self = self;
    this.engine = engine;
    this.network = network;
    this.settings = settings;
  }

  void repair(Plan plan, ReadRound.Seen seen) {
    Key key = plan.key();
    Reconciled r = Reconciler.reconcile(seen.answers());
    for (NodeId stale : r.stale()) {
      if (!seen.primaries().contains(stale)) {
        continue; // a fall-back: its hints go to their owner, it is never written to
      }
      if (settings.readRepair()) {
        log.debug("read repair of {} on {}", key, stale);
        storeOn(stale, key, r.merged());
      }
    }
  }

  private void storeOn(NodeId node, Key key, Siblings siblings) {
    if (node.equals(self)) {
      try {
        engine.write(key, siblings).durable().whenComplete((v, e) -> {
          if (e != null) {
            log.warn("read repair of {} on this node failed: {}", key, Futures.unwrap(e).getMessage());
          }
        });
      } catch (RuntimeException e) {
        // Best effort, like a repair a peer fails: the other stale replicas are still repaired.
        log.warn("read repair of {} on this node failed: {}", key, e.getMessage());
      }
    } else {
      network.send(node, new ReplicaRequest.Store(key, siblings));
    }
  }
}
