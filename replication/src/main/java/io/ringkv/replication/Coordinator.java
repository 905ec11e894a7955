package io.ringkv.replication;

import io.ringkv.api.Scheduler;
import io.ringkv.api.Bytes;
import io.ringkv.api.Dot;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.QuorumNotReachedException;
import io.ringkv.api.QuorumSpec;
import io.ringkv.api.RingkvException;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import io.ringkv.ring.Ring;
import io.ringkv.storage.spi.StorageEngine;
import io.ringkv.versioning.DotIssuer;
import io.ringkv.versioning.Reconciled;
import io.ringkv.versioning.Reconciler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quorum logic of one node, knowing nothing of resolvers or routing: a quorum read of a key's
 * N replicas (with read repair and tombstone reaping), and a quorum write of a new version (local
 * write first, then the node's whole reconciled sibling set to the other replicas, answered after
 * W-1 acknowledgements).
 *
 * <p>Sending the whole set, not just the new version, keeps an invariant the client contexts rely
 * on: any replica holding a dot (a, k) also holds, or holds something that has seen, every earlier
 * dot a issued for that key. So a context that covers (a, k) never claims an unseen write of a.
 */
final class Coordinator {
  private static final Logger log = LoggerFactory.getLogger(Coordinator.class);
  private static final int LOCK_STRIPES = 256;

  private final NodeId self;
  private final DotIssuer issuer;
  private final StorageEngine engine;
  private final Supplier<Ring> ring;
  private final Liveness liveness;
  private final ReplicaNetwork network;
  private final Scheduler scheduler;
  private final Clock clock;
  private final ReplicationSettings settings;
  private final Object[] locks = new Object[LOCK_STRIPES];

  Coordinator(NodeId self, DotIssuer issuer, StorageEngine engine, Supplier<Ring> ring,
      Liveness liveness, ReplicaNetwork network, Scheduler scheduler, Clock clock,
      ReplicationSettings settings) {
    this.self = self;
    this.issuer = issuer;
    this.engine = engine;
    this.ring = ring;
    this.liveness = liveness;
    this.network = network;
    this.scheduler = scheduler;
    this.clock = clock;
    this.settings = settings;
    for (int i = 0; i < LOCK_STRIPES; i++) {
      locks[i] = new Object();
    }
  }

  List<NodeId> replicas(Key key, int n) {
    return ring.get().preferenceList(key, n).primaries();
  }

  long now() {
    return clock.millis();
  }

  // ---------------------------------------------------------------- write

  /** The version a write created and a future that completes once W replicas hold it. */
  record Written(Versioned<Bytes> version, CompletableFuture<Versioned<Bytes>> quorum) {}

  /**
   * Makes a new version superseding what {@code context} covers, stores it here, and replicates
   * this node's reconciled set for the key to the other replicas.
   */
  Written write(Key key, VectorClock context, Bytes value, long timestamp, boolean tombstone,
      QuorumSpec quorum, Duration timeout) {
    List<NodeId> replicas = replicas(key, quorum.n());
    if (!replicas.contains(self)) {
      throw new RingkvException(ErrorCode.UNAVAILABLE,
          "node " + self + " is not a replica of " + key + " (replicas: " + replicas + ")");
    }
    Versioned<Bytes> version;
    Siblings stored;
    // Issue and store under the key's lock: the local set then holds every dot this node issued
    // for the key before it issues the next one.
    synchronized (locks[Math.floorMod(key.hashCode(), LOCK_STRIPES)]) {
      Siblings local = engine.get(key);
      Dot dot = issuer.next(local.clock().merge(context));
      VectorClock storedContext = settings.pruning().prune(context);
      version = new Versioned<>(tombstone ? Bytes.EMPTY : value, dot, storedContext, timestamp,
          tombstone);
      stored = engine.put(key, Siblings.of(version));
    }
    List<NodeId> others = new ArrayList<>(replicas);
    others.remove(self);
    WriteRound round = new WriteRound(version, quorum.w() - 1, others.size(), quorum.w());
    Scheduler.Cancellable timer = scheduler.schedule(timeout, round::timeout);
    round.result.whenComplete((v, e) -> timer.cancel());
    for (NodeId peer : others) {
      if (!liveness.isUp(peer)) {
        round.failure();
        continue;
      }
      network.send(peer, new ReplicaRequest.Store(key, stored)).whenComplete((resp, err) -> {
        if (err == null && resp instanceof ReplicaResponse.Stored) {
          round.ack();
        } else {
          if (log.isDebugEnabled()) {
            log.debug("store of {} on {} failed: {}", key, peer, err != null ? err : resp);
          }
          round.failure();
        }
      });
    }
    round.checkImmediate();
    return new Written(version, round.result);
  }

  /** Counts acknowledgements of one write; completes its future once, outside the lock. */
  private static final class WriteRound {
    final CompletableFuture<Versioned<Bytes>> result = new CompletableFuture<>();
    final Versioned<Bytes> version;
    final int needed;
    final int peers;
    final int w;
    int acks;
    int failures;

    WriteRound(Versioned<Bytes> version, int needed, int peers, int w) {
      this.version = version;
      this.needed = needed;
      this.peers = peers;
      this.w = w;
    }

    void ack() {
      boolean done;
      synchronized (this) {
        acks++;
        done = acks == needed;
      }
      if (done) {
        result.complete(version);
      }
    }

    void failure() {
      int achieved;
      synchronized (this) {
        failures++;
        if (acks >= needed || peers - failures >= needed) {
          return;
        }
        achieved = 1 + acks;
      }
      result.completeExceptionally(new QuorumNotReachedException("put", w, achieved));
    }

    void checkImmediate() {
      if (needed <= 0) {
        result.complete(version);
      }
    }

    void timeout() {
      int achieved;
      synchronized (this) {
        achieved = 1 + acks;
      }
      result.completeExceptionally(new QuorumNotReachedException("put", w, achieved));
    }
  }

  // ---------------------------------------------------------------- read

  /**
   * Asks the key's N replicas, completes with the reconciliation of the first R answers, and once
   * all have answered (or the timeout passed) repairs the stale ones and reaps tombstones every
   * replica agrees on.
   */
  CompletableFuture<Siblings> read(Key key, QuorumSpec quorum, Duration timeout) {
    List<NodeId> replicas = replicas(key, quorum.n());
    ReadRound round = new ReadRound(key, replicas, quorum);
    Scheduler.Cancellable timer = scheduler.schedule(timeout, round::finish);
    round.finished.whenComplete((v, e) -> timer.cancel());
    for (NodeId node : replicas) {
      if (node.equals(self)) {
        round.answer(node, engine.get(key));
      } else if (!liveness.isUp(node)) {
        round.failure(node);
      } else {
        network.send(node, new ReplicaRequest.Fetch(key)).whenComplete((resp, err) -> {
          if (err == null && resp instanceof ReplicaResponse.Fetched f) {
            round.answer(node, f.siblings());
          } else {
            round.failure(node);
          }
        });
      }
    }
    if (replicas.isEmpty()) {
      round.finish();
    }
    return round.result;
  }

  private final class ReadRound {
    final CompletableFuture<Siblings> result = new CompletableFuture<>();
    final CompletableFuture<Void> finished = new CompletableFuture<>();
    final Key key;
    final List<NodeId> replicas;
    final QuorumSpec quorum;
    final Map<NodeId, Siblings> answers = new LinkedHashMap<>();
    int failures;
    boolean resultDecided;
    boolean over;

    ReadRound(Key key, List<NodeId> replicas, QuorumSpec quorum) {
      this.key = key;
      this.replicas = replicas;
      this.quorum = quorum;
    }

    void answer(NodeId node, Siblings siblings) {
      Siblings quorumResult = null;
      boolean all;
      synchronized (this) {
        if (over) {
          return;
        }
        answers.put(node, siblings);
        if (!resultDecided && answers.size() >= quorum.r()) {
          resultDecided = true;
          quorumResult = Reconciler.reconcile(answers).merged();
        }
        all = answers.size() + failures == replicas.size();
      }
      if (quorumResult != null) {
        result.complete(quorumResult);
      }
      if (all) {
        finish();
      }
    }

    void failure(NodeId node) {
      boolean all;
      synchronized (this) {
        if (over) {
          return;
        }
        failures++;
        all = answers.size() + failures == replicas.size();
      }
      if (all) {
        finish();
      }
    }

    /** All answers are in, or the time is up: fail if short of R, then repair. */
    void finish() {
      Map<NodeId, Siblings> seen;
      boolean failQuorum;
      synchronized (this) {
        if (over) {
          return;
        }
        over = true;
        failQuorum = !resultDecided;
        resultDecided = true;
        seen = new LinkedHashMap<>(answers);
      }
      if (failQuorum) {
        result.completeExceptionally(new QuorumNotReachedException("get", quorum.r(), seen.size()));
      }
      finished.complete(null);
      if (!seen.isEmpty()) {
        repair(key, replicas, seen);
      }
    }
  }

  private void repair(Key key, List<NodeId> replicas, Map<NodeId, Siblings> answers) {
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
