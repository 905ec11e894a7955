package io.ringkv.replication;

import io.ringkv.api.Bytes;
import io.ringkv.api.NodeId;
import io.ringkv.api.QuorumNotReachedException;
import io.ringkv.api.ReplicaReceipt;
import io.ringkv.api.Scheduler;
import io.ringkv.api.Siblings;
import io.ringkv.api.Versioned;
import io.ringkv.replication.api.ReplicaNetwork;
import io.ringkv.replication.api.ReplicaRequest;
import io.ringkv.replication.api.ReplicaResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places the copies of one write, coordinated here after the local write, and decides its answer.
 *
 * <p>Each other primary of the key is a slot. A primary that is up is sent this node's set for the
 * key; one that is down, fails, or has not acknowledged within the replica timeout has its copy
 * sent to a fall-back as a hint naming it (sloppy buckets: the next node beyond the top N that is
 * up, from the {@link ReplicaSelector}); when no fall-back is left, or the bucket is strict, this
 * node keeps the hint itself. So every slot ends acknowledged by its primary or hinted somewhere,
 * unless this node dies first.
 *
 * <p>The write succeeds once W distinct nodes hold it (this node first; a fall-back counts once,
 * a hint kept here not at all) and PW of them are primaries; it fails as soon as that can no longer
 * happen, or at the request's timeout; this node counts once its own copy is durable (a future
 * of the engine's), and a failure to make it so fails the write. The answer carries the write
 * receipt. Placing copies goes on
 * after the answer. Thread-safe; completes its future outside its lock.
 */
final class WriteRound {
  private static final Logger log = LoggerFactory.getLogger(WriteRound.class);

  /** The version written and the receipt once the quorum is reached. */
  record Outcome(Versioned<Bytes> version, List<ReplicaReceipt> receipt) {}

  final CompletableFuture<Outcome> result = new CompletableFuture<>();
  private final Plan plan;
  private final NodeId self;
  private final Versioned<Bytes> version;
  private final Siblings copy;
  private final ReplicaSelector selector;
  private final ReplicaNetwork network;
  private final Scheduler scheduler;
  private final HintedHandoff handoff;
  private final java.util.concurrent.Executor io;
  private final Duration replicaWait;
  private final ReplicationListener listener;
  /** This node's own copy becoming durable: the answer waits for it too. */
  private final CompletableFuture<Void> localDurable;

  // guarded by this
  private boolean localDone;
  private final Set<NodeId> holders = new LinkedHashSet<>();
  private final List<ReplicaReceipt> receipts = new ArrayList<>();
  private final Set<NodeId> used = new HashSet<>();
  private final Set<NodeId> outstanding = new HashSet<>();
  /** Primaries past the replica timeout, stood in for, whose acknowledgement may still come. */
  private final Set<NodeId> lapsed = new HashSet<>();
  private int primaryAcks;
  private int openSlots;
  private boolean decided;
  private boolean settled;
  private boolean started;

  WriteRound(Plan plan, NodeId self, Versioned<Bytes> version, Siblings copy,
      ReplicaSelector selector, ReplicaNetwork network, Scheduler scheduler,
      HintedHandoff handoff, java.util.concurrent.Executor io, Duration replicaWait,
      ReplicationListener listener, CompletableFuture<Void> localDurable) {
    this.plan = plan;
    this.self = self;
    this.version = version;
    this.copy = copy;
    this.selector = selector;
    this.network = network;
    this.scheduler = scheduler;
    this.handoff = handoff;
    this.io = io;
    this.replicaWait = replicaWait;
    this.listener = listener;
    this.localDurable = localDurable;
  }

  /** Sends the copies; the coordinator's own local write is the first holder. */
  void start() {
    ReplicaSelector.Targets targets = selector.forWrite(plan);
    List<Optional<NodeId>> standIns = new ArrayList<>();
    synchronized (this) {
      holders.add(self);
      used.add(self);
      used.addAll(plan.primaries());
      receipts.add(ReplicaReceipt.primary(self));
      primaryAcks = 1;
      openSlots = targets.size();
      outstanding.addAll(targets.reachable());
      for (int i = 0; i < targets.down().size(); i++) {
        standIns.add(chooseFallback()); // before any answer can make the round judge its chances
      }
    }
    listener.writeStarted(plan.key(), version.dot());
    Scheduler.Cancellable timer = scheduler.schedule(plan.timeout(), this::timeout);
    result.whenComplete((v, e) -> timer.cancel());
    // The down primaries first: a hint kept here is then in the receipt of the answer.
    for (int i = 0; i < targets.down().size(); i++) {
      standIn(targets.down().get(i), standIns.get(i));
    }
    for (NodeId primary : targets.reachable()) {
      sendToPrimary(primary);
    }
    for (NodeId incoming : plan.incoming()) {
      // A ring change is in progress: the key's next replica gets the write too (no quorum
      // counts it); what it misses, its transfer of the partition brings.
      if (!incoming.equals(self)) {
        network.send(incoming, new ReplicaRequest.Store(plan.key(), copy));
      }
    }
    synchronized (this) {
      started = true; // judged only now, so the answer sees every hint kept here at the start
    }
    localDurable.whenComplete((v, e) -> localDurable(e));
    check();
  }

  /** This node's copy is durable ({@code error} null), or never will be: the write fails. */
  private void localDurable(Throwable error) {
    if (error == null) {
      synchronized (this) {
        localDone = true;
      }
      check();
      return;
    }
    synchronized (this) {
      if (decided) {
        return;
      }
      decided = true;
    }
    log.warn("the local copy of {} is not durable: {}", plan.key(), Futures.unwrap(error).getMessage());
    result.completeExceptionally(Futures.unwrap(error));
  }

  // ---------------------------------------------------------------- primaries

  private void sendToPrimary(NodeId primary) {
    Slot slot = new Slot(primary);
    CompletableFuture<ReplicaResponse> sent = network.send(primary,
        new ReplicaRequest.Store(plan.key(), copy));
    Scheduler.Cancellable timer = scheduler.schedule(replicaWait, slot::lapse);
    sent.whenComplete((resp, err) -> {
      timer.cancel();
      if (err == null && resp instanceof ReplicaResponse.Stored) {
        primaryAcked(slot);
      } else {
        boolean forGood = err == null && resp instanceof ReplicaResponse.Failed f
            && HintedHandoff.refusedForGood(f);
        primaryFailed(slot, err != null ? Futures.unwrap(err).getMessage() : String.valueOf(resp),
            forGood);
      }
    });
  }

  /** One other primary's copy: acknowledged by it, or stood in for (at most once). */
  private final class Slot {
    final NodeId primary;
    boolean answered;
    boolean stoodIn;

    Slot(NodeId primary) {
      this.primary = primary;
    }

    /**
     * The replica timeout passed without an answer: the copy goes to a fall-back. The primary's
     * acknowledgement may still come until the request's own timeout, and counts then.
     */
    void lapse() {
      Optional<NodeId> fallback;
      synchronized (WriteRound.this) {
        if (answered || stoodIn) {
          return;
        }
        stoodIn = true;
        outstanding.remove(primary);
        lapsed.add(primary);
        fallback = chooseFallback();
      }
      log.debug("store of {} on {} not acknowledged in {} ms: standing in for it", plan.key(),
          primary, replicaWait.toMillis());
      standIn(primary, fallback);
      check();
    }
  }

  private void primaryAcked(Slot slot) {
    synchronized (this) {
      slot.answered = true;
      outstanding.remove(slot.primary);
      lapsed.remove(slot.primary);
      if (holders.add(slot.primary)) {
        receipts.add(ReplicaReceipt.primary(slot.primary));
        primaryAcks++;
      }
      if (!slot.stoodIn) {
        openSlots--;
      }
    }
    check();
  }

  /**
   * A primary failed: its copy goes to a fall-back, unless it refused the set for good (too large
   * for it), which no hint could change.
   */
  private void primaryFailed(Slot slot, String why, boolean forGood) {
    boolean standIn;
    Optional<NodeId> fallback = Optional.empty();
    synchronized (this) {
      slot.answered = true;
      outstanding.remove(slot.primary);
      lapsed.remove(slot.primary);
      standIn = !slot.stoodIn && !forGood;
      if (!slot.stoodIn && forGood) {
        openSlots--; // settled: refused, nothing more to place
      }
      slot.stoodIn = true;
      if (standIn) {
        fallback = chooseFallback();
      }
    }
    if (forGood) {
      log.warn("{} refuses {} for good ({}): no hint is kept for it", slot.primary, plan.key(),
          why);
    } else if (log.isDebugEnabled()) {
      log.debug("store of {} on {} failed: {}", plan.key(), slot.primary, why);
    }
    if (standIn) {
      standIn(slot.primary, fallback);
    }
    check();
  }

  // ---------------------------------------------------------------- standing in

  /**
   * The next fall-back for a copy, marked used and outstanding in the same step that took the
   * copy's previous attempt off, so the round never sees a moment where the copy has no chance.
   * Caller holds the lock.
   */
  private Optional<NodeId> chooseFallback() {
    Optional<NodeId> fallback = selector.fallback(plan, used);
    fallback.ifPresent(f -> {
      used.add(f);
      outstanding.add(f);
    });
    return fallback;
  }

  private void standIn(NodeId primary, Optional<NodeId> fallback) {
    if (fallback.isEmpty()) {
      boolean now;
      synchronized (this) {
        now = !started;
      }
      if (now) {
        keepHere(primary); // at the start, on the caller's thread: the receipt then shows it
      } else {
        io.execute(() -> keepHere(primary)); // never on a timer or network thread: it may fsync
      }
      return;
    }
    NodeId node = fallback.get();
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    Scheduler.Cancellable timer = scheduler.schedule(replicaWait, () -> done.complete(false));
    network.send(node, new ReplicaRequest.StoreHint(plan.key(), copy, primary))
        .whenComplete((resp, err) -> done.complete(err == null
            && resp instanceof ReplicaResponse.Stored));
    done.thenAccept(ok -> {
      timer.cancel();
      Optional<NodeId> next = Optional.empty();
      synchronized (this) {
        outstanding.remove(node);
        if (ok) {
          holders.add(node);
          receipts.add(ReplicaReceipt.fallback(node, primary));
          openSlots--;
        } else {
          next = chooseFallback();
        }
      }
      if (!ok) {
        log.debug("hint of {} for {} on fall-back {} failed: trying the next", plan.key(),
            primary, node);
        standIn(primary, next);
      }
      check();
    });
  }

  /** No fall-back took the copy: this node keeps the hint; it counts toward nothing. */
  private void keepHere(NodeId primary) {
    try {
      handoff.keep(primary, plan.key(), copy);
      synchronized (this) {
        receipts.add(ReplicaReceipt.hint(self, primary));
      }
    } catch (RuntimeException e) {
      log.warn("cannot keep a hint of {} for {}: {}; anti-entropy must repair it", plan.key(),
          primary, e.getMessage());
    }
    synchronized (this) {
      openSlots--;
    }
    check();
  }

  // ---------------------------------------------------------------- the answer

  /** Succeeds once W and PW are reached; fails once they no longer can be. */
  private void check() {
    Outcome success = null;
    QuorumNotReachedException failure = null;
    boolean settledNow = false;
    synchronized (this) {
      if (!started) {
        return;
      }
      if (!decided) {
        int w = plan.quorum().w();
        int pw = plan.pw();
        if (localDone && holders.size() >= w && primaryAcks >= pw) {
          decided = true;
          success = new Outcome(version, receipt());
        } else {
          int possible = holders.size() + outstanding.size() + lapsed.size();
          int possiblePrimaries = primaryAcks + outstandingPrimaries() + lapsed.size();
          if (possible < w) {
            decided = true;
            failure = new QuorumNotReachedException("put", w, holders.size());
          } else if (possiblePrimaries < pw) {
            decided = true;
            failure = new QuorumNotReachedException("put", "PW", pw, primaryAcks);
          }
        }
      }
      if (!settled && openSlots == 0 && outstanding.isEmpty()) {
        settled = true;
        settledNow = true;
      }
    }
    if (success != null) {
      result.complete(success);
    } else if (failure != null) {
      result.completeExceptionally(failure);
    }
    if (settledNow) {
      listener.writeSettled(plan.key(), version.dot());
    }
  }

  private int outstandingPrimaries() {
    int n = 0;
    for (NodeId node : outstanding) {
      if (plan.primaries().contains(node)) {
        n++;
      }
    }
    return n;
  }

  private void timeout() {
    QuorumNotReachedException failure;
    synchronized (this) {
      if (decided) {
        return;
      }
      decided = true;
      int durable = holders.size() - (localDone ? 0 : 1); // this node's copy not forced in time
      failure = durable < plan.quorum().w()
          ? new QuorumNotReachedException("put", plan.quorum().w(), durable)
          : new QuorumNotReachedException("put", "PW", plan.pw(), primaryAcks);
    }
    result.completeExceptionally(failure);
  }

  /** Primaries in preference order, then fall-backs, then hints; caller holds the lock. */
  private List<ReplicaReceipt> receipt() {
    List<ReplicaReceipt> sorted = new ArrayList<>(receipts);
    sorted.sort(Comparator.comparing(ReplicaReceipt::role).thenComparingInt(r -> {
      int i = plan.primaries().indexOf(r.role() == ReplicaReceipt.Role.PRIMARY ? r.node()
          : r.intendedFor());
      return i < 0 ? Integer.MAX_VALUE : i;
    }));
    return sorted;
  }
}
