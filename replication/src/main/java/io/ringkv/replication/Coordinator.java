package io.ringkv.replication;

import io.ringkv.api.Bytes;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import io.ringkv.api.Scheduler;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import io.ringkv.storage.spi.StorageEngine;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quorum logic of one node, knowing nothing of resolvers or routing: a quorum write of a new
 * version (local write first, then this node's whole reconciled sibling set to the targets the
 * {@link ReplicaSelector} names, answered after W-1 acknowledgements) and a quorum read of a key's
 * replicas (answered after R, then {@link ReadRepair}).
 *
 * <p>Sending the whole set, not just the new version, keeps an invariant the client contexts rely
 * on: any replica holding a dot (a, k) also holds, or holds something that has seen, every earlier
 * dot a issued for that key. So a context that covers (a, k) never claims an unseen write of a.
 */
final class Coordinator {
  private static final Logger log = LoggerFactory.getLogger(Coordinator.class);

  private final NodeId self;
  private final VersionWriter writer;
  private final StorageEngine engine;
  private final ReplicaSelector selector;
  private final ReplicaNetwork network;
  private final Scheduler scheduler;
  private final Clock clock;
  private final ReadRepair repair;

  Coordinator(NodeId self, VersionWriter writer, StorageEngine engine, ReplicaSelector selector,
      ReplicaNetwork network, Scheduler scheduler, Clock clock, ReadRepair repair) {
    this.self = self;
    this.writer = writer;
    this.engine = engine;
    this.selector = selector;
    this.network = network;
    this.scheduler = scheduler;
    this.clock = clock;
    this.repair = repair;
  }

  long now() {
    return clock.millis();
  }

  /** The version a write created and a future that completes once W replicas hold it. */
  record Written(Versioned<Bytes> version, CompletableFuture<Versioned<Bytes>> quorum) {}

  /**
   * Makes a new version superseding what {@code context} covers, stores it here, and replicates
   * this node's reconciled set for the key to the other replicas.
   *
   * @throws RingkvException with {@code UNAVAILABLE} when this node is not a replica of the key,
   *     or the engine's refusal of the local write
   */
  Written write(Plan plan, VectorClock context, Bytes value, long timestamp, boolean tombstone) {
    if (!plan.primaries().contains(self)) {
      throw new RingkvException(ErrorCode.UNAVAILABLE, "node " + self + " is not a replica of "
          + plan.key() + " (replicas: " + plan.primaries() + ")");
    }
    VersionWriter.Written local = writer.write(plan.key(), context, value, timestamp, tombstone);
    ReplicaSelector.Targets targets = selector.forWrite(plan);
    WriteRound round = new WriteRound(local.version(), plan.quorum().w(), targets.size());
    Scheduler.Cancellable timer = scheduler.schedule(plan.timeout(), round::timeout);
    round.result.whenComplete((v, e) -> timer.cancel());
    ReplicaRequest.Store store = new ReplicaRequest.Store(plan.key(), local.stored());
    for (NodeId peer : targets.reachable()) {
      network.send(peer, store).whenComplete((resp, err) -> {
        if (err == null && resp instanceof ReplicaResponse.Stored) {
          round.ack();
        } else {
          if (log.isDebugEnabled()) {
            log.debug("store of {} on {} failed: {}", plan.key(), peer, err != null ? err : resp);
          }
          round.failure();
        }
      });
    }
    for (int i = 0; i < targets.down().size(); i++) {
      round.failure();
    }
    round.checkImmediate();
    return new Written(local.version(), round.result);
  }

  /**
   * Asks the key's replicas, completes with the reconciliation of the first R answers, and once
   * all have answered (or the timeout passed) repairs the stale ones and reaps tombstones every
   * replica agrees on.
   */
  CompletableFuture<Siblings> read(Plan plan) {
    ReplicaSelector.Targets targets = selector.forRead(plan);
    ReadRound round = new ReadRound(targets.size(), plan.quorum(),
        seen -> repair.repair(plan.key(), plan.primaries(), seen));
    Scheduler.Cancellable timer = scheduler.schedule(plan.timeout(), round::finish);
    round.finished.whenComplete((v, e) -> timer.cancel());
    ReplicaRequest.Fetch fetch = new ReplicaRequest.Fetch(plan.key());
    for (NodeId node : targets.reachable()) {
      if (node.equals(self)) {
        round.answer(node, engine.get(plan.key()));
      } else {
        network.send(node, fetch).whenComplete((resp, err) -> {
          if (err == null && resp instanceof ReplicaResponse.Fetched f) {
            round.answer(node, f.siblings());
          } else {
            round.failure(node);
          }
        });
      }
    }
    for (NodeId node : targets.down()) {
      round.failure(node);
    }
    if (targets.size() == 0) {
      round.finish();
    }
    return round.result;
  }
}
