package io.ringkv.replication;

import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;
import io.ringkv.storage.spi.StorageEngine;
import io.ringkv.versioning.Reconciled;
import io.ringkv.versioning.Reconciler;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a finished read does with everything it saw, in the background: sends the reconciled set to
 * every replica that answered with less (read repair), and when every replica answered with the
 * same tombstones, removes them everywhere (reaping). Best effort on each replica: one that refuses
 * (disk full, too large) never stops the others.
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

  /**
   * @param replicas the key's replicas the read asked
   * @param answers what each replica that answered holds
   */
  void repair(Key key, List<NodeId> replicas, Map<NodeId, Siblings> answers) {
    Reconciled r = Reconciler.reconcile(answers);
    if (settings.readRepair()) {
      for (NodeId stale : r.stale()) {
        log.debug("read repair of {} on {}", key, stale);
        storeOn(stale, key, r.merged());
      }
    }
    if (settings.reapTombstones() && r.stale().isEmpty() && r.merged().isDeleted()
        && answers.size() == replicas.size()) {
      for (NodeId node : replicas) {
        if (node.equals(self)) {
          try {
            engine.removeIfEquals(key, r.merged());
          } catch (RuntimeException e) {
            // Reaping is best effort (a full disk refuses the removal record): the others are still asked.
            log.warn("reaping the tombstone of {} on this node failed: {}", key, e.getMessage());
          }
        } else {
          network.send(node, new ReplicaRequest.Reap(key, r.merged()));
        }
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
