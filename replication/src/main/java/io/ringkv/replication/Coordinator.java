package io.ringkv.replication;

import io.ringkv.api.Bytes;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import io.ringkv.api.Scheduler;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import io.ringkv.replication.api.ReplicaNetwork;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * The quorum logic of one node, knowing nothing of resolvers or routing: a quorum write of a new
 * version (local write first, then this node's whole reconciled sibling set placed on the key's
 * other replicas by a {@link WriteRound}) and a quorum read of a key's replicas (a
 * {@link ReadRound}, then {@link ReadRepair}).
 *
 * <p>Sending the whole set, not just the new version, keeps an invariant the client contexts rely
 * on: any replica holding a dot (a, k) also holds, or holds something that has seen, every earlier
 * dot a issued for that key. So a context that covers (a, k) never claims an unseen write of a.
 * For the same reason only a primary coordinates a write: it has the key's set in its engine.
 */
final class Coordinator {
  private final NodeId self;
  private final VersionWriter writer;
  private final ReplicaSelector selector;
  private final ReplicaNetwork network;
  private final Scheduler scheduler;
  private final Clock clock;
  private final ReadRepair repair;
  private final HintedHandoff handoff;
  private final LocalReplica local;
  private final ReplicationSettings settings;
  private final ReplicationListener listener;
  private final java.util.concurrent.Executor io;

  Coordinator(NodeId self, VersionWriter writer, ReplicaSelector selector, ReplicaNetwork network,
      Scheduler scheduler, Clock clock, ReadRepair repair, HintedHandoff handoff,
      LocalReplica local, ReplicationSettings settings, ReplicationListener listener,
      java.util.concurrent.Executor io) {
    this.self = self;
    this.writer = writer;
    this.selector = selector;
    this.network = network;
    this.scheduler = scheduler;
    this.clock = clock;
    this.repair = repair;
    this.handoff = handoff;
    this.local = local;
    this.settings = settings;
    this.listener = listener;
    this.io = io;
  }

  long now() {
    return clock.millis();
  }

  /**
   * The version a write created, the context to hand back to its writer, and a future that
   * completes once W replicas hold it, this node's copy durably.
   */
  record Written(Versioned<Bytes> version, VectorClock after,
      CompletableFuture<WriteRound.Outcome> quorum) {}

  /**
   * Makes a new version superseding what {@code context} covers, stores it here, and places this
   * node's reconciled set for the key on the other replicas.
   *
   * @throws RingkvException with {@code UNAVAILABLE} when this node is not a replica of the key,
   *     or the engine's refusal of the local write
   */
  Written write(Plan plan, VectorClock context, Bytes value, long timestamp, boolean tombstone) {
    if (!plan.primaries().contains(self)) {
      throw new RingkvException(ErrorCode.UNAVAILABLE, "node " + self + " is not a replica of "
          + plan.key() + " (replicas: " + plan.primaries() + ")");
    }
    VersionWriter.Written written = writer.write(plan.key(), context, value, timestamp, tombstone);
    WriteRound round = new WriteRound(plan, self, written.version(), written.stored(), selector,
        network, scheduler, handoff, io, settings.replicaWait(plan.timeout()), listener,
        written.durable());
    // The other replicas are sent their copies while the local one is forced; the answer waits
    // for both, within the request's timeout.
    round.start();
    return new Written(written.version(), written.after(context), round.result);
  }

  /**
   * Asks the key's replicas, completes with the reconciliation of the first R answers, and once
   * all have answered (or the timeout passed) repairs the stale ones and reaps tombstones every
   * replica agrees on.
   */
  CompletableFuture<Siblings> read(Plan plan) {
    ReadRound round = new ReadRound(plan, self, selector, network, node -> local.fetch(plan.key()),
        seen -> repair.repair(plan, seen), settings.replicaWait(plan.timeout()));
    round.start(scheduler);
    return round.result;
  }
}
