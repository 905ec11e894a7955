package io.ringkv.replication;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import io.ringkv.api.Scheduler;
import io.ringkv.api.Siblings;
import io.ringkv.replication.api.ReplicaNetwork;
import io.ringkv.replication.api.ReplicaRequest;
import io.ringkv.replication.api.ReplicaResponse;
import io.ringkv.storage.spi.Hint;
import io.ringkv.storage.spi.HintBacklog;
import io.ringkv.storage.spi.HintStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hinted handoff on one node: keeps the hints this node holds for primaries that missed a write
 * (in its {@link HintStore}, within the bounds of {@link HandoffSettings}), and every interval
 * replays each target's hints, in order and rate limited, to the target once the failure detector
 * sees it up, releasing each hint once the target acknowledged it. A replayed hint is an ordinary
 * replica write, so one the target already covers is a no-op and replaying twice is harmless.
 * Hints past their age or the byte bound are dropped with one WARN per target (until its backlog
 * empties), and so is a hint its target refuses for good (too large for it); anti-entropy
 * repairs what they covered.
 *
 * <p>Every store read and release runs on the {@code io} executor (the store may touch the disk),
 * never on the scheduler's timer thread nor on a network thread; a failure of one target's work is
 * logged and retried at the next interval without holding up the others.
 */
final class HintedHandoff implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HintedHandoff.class);
  private static final int EXPIRE_SCAN = 64;
  private static final int BOUND_SCAN = 8;

  private final HintStore store;
  private final ReplicaNetwork network;
  private final Liveness liveness;
  private final Scheduler scheduler;
  private final Executor io;
  private final Clock clock;
  private final HandoffSettings settings;
  private final Duration sendTimeout;
  private final ReplicationListener listener;
  private final Map<NodeId, Target> targets = new ConcurrentHashMap<>();
  private final AtomicLong kept = new AtomicLong();
  private final AtomicLong handedOff = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private Scheduler.Cancellable task;
  private volatile boolean closed;

  HintedHandoff(HintStore store, ReplicaNetwork network, Liveness liveness, Scheduler scheduler,
      Executor io, Clock clock, HandoffSettings settings, Duration sendTimeout,
      ReplicationListener listener) {
    this.store = store;
    this.network = network;
    this.liveness = liveness;
    this.scheduler = scheduler;
    this.io = io;
    this.clock = clock;
    this.settings = settings;
    this.sendTimeout = sendTimeout;
    this.listener = listener;
  }

  /** Counters since start: hints kept here, handed off, dropped unreplayed. */
  record Stats(long kept, long handedOff, long dropped) {}

  /**
   * Drops the hints already past their age (so none is served after a long stop), then starts the
   * periodic replay; call once, before the node serves.
   */
  void start() {
    long now = clock.millis();
    for (NodeId id : store.targets()) {
      Target t = target(id);
      synchronized (t) {
        expire(t, now);
      }
    }
    synchronized (this) {
      if (task == null && !closed) {
        task = scheduler.every(settings.interval(), () -> io.execute(this::tick));
      }
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (task != null) {
      task.cancel();
      task = null;
    }
  }

  /**
   * Keeps {@code versions} of {@code key} for {@code target}; once this returns the hint is as
   * durable as the store makes it. Past the byte bound, the target's oldest hints (never this one)
   * are dropped.
   *
   * @throws RingkvException with {@code TOO_LARGE} when the hint alone is over the byte bound,
   *     or the store's refusal (disk full, too large); nothing is kept then
   */
  Hint keep(NodeId target, Key key, Siblings versions) {
    long size = Hint.estimateBytes(key, versions);
    if (size > settings.maxHintBytes()) {
      throw new RingkvException(ErrorCode.TOO_LARGE, "a hint of " + key + " for " + target
          + " takes about " + size + " bytes, more than handoff.max.hint.bytes ("
          + settings.maxHintBytes() + ") allows one target");
    }
    Hint hint = store.append(target, key, versions, clock.millis());
    kept.incrementAndGet();
    Target t = target(target);
    synchronized (t) {
      t.emptied = false;
      enforceBytes(t, hint.sequence());
    }
    return hint;
  }

  /** What this node holds as hints for {@code key}, per intended owner. */
  /** Whether no hint is kept here (a cheap check: the log hint store answers it without a lock). */
  boolean keepsNone() {
    return store.targets().isEmpty();
  }

  Map<NodeId, Siblings> pendingFor(Key key) {
    return store.pendingFor(key);
  }

  /** What is queued here for each target that has hints. */
  Map<NodeId, HintBacklog> backlogs() {
    Map<NodeId, HintBacklog> out = new LinkedHashMap<>();
    for (NodeId target : store.targets()) {
      HintBacklog b = store.backlog(target);
      if (!b.isEmpty()) {
        out.put(target, b);
      }
    }
    return out;
  }

  Stats stats() {
    return new Stats(kept.get(), handedOff.get(), dropped.get());
  }

  /** One round: expire old hints, and start replaying to every target that is back. */
  void tick() {
    if (closed) {
      return;
    }
    long now = clock.millis();
    Set<NodeId> pending;
    try {
      pending = store.targets();
    } catch (RuntimeException e) {
      log.warn("cannot list the hint targets: {}; trying again in {}", e.toString(),
          settings.interval());
      return;
    }
    for (NodeId id : pending) {
      Target t = target(id);
      try {
        synchronized (t) {
          expire(t, now);
          if (!t.running && liveness.isUp(id)) {
            t.running = true;
            t.refill(now);
            io.execute(() -> replayNext(t));
          }
        }
      } catch (RuntimeException e) {
        log.warn("hinted handoff to {} failed: {}; trying again in {}", id, e.toString(),
            settings.interval());
      }
    }
    for (Target t : targets.values()) {
      synchronized (t) {
        if (!pending.contains(t.id) && !t.emptied) {
          t.emptied = true; // its next drops warn again
          t.warnedAge = false;
          t.warnedBytes = false;
        }
      }
    }
  }

  private Target target(NodeId id) {
    return targets.computeIfAbsent(id, Target::new);
  }

  // ---------------------------------------------------------------- replay

  /** What one hint's replay came to. */
  private enum Sent { STORED, REFUSED_FOR_GOOD, FAILED }

  private void replayNext(Target t) {
    List<Hint> batch;
    try {
      synchronized (t) {
        if (closed || !liveness.isUp(t.id)) {
          t.running = false;
          return;
        }
        t.refill(clock.millis());
        batch = t.allowed(store.oldest(t.id, settings.batch()));
        if (batch.isEmpty()) {
          t.running = false;
          return;
        }
      }
    } catch (RuntimeException e) {
      stopped(t, e);
      return;
    }
    List<CompletableFuture<Sent>> sent = new ArrayList<>(batch.size());
    for (Hint h : batch) {
      sent.add(send(t.id, h));
    }
    CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0]))
        .whenCompleteAsync((v, e) -> {
          try {
            if (delivered(t, batch, sent)) {
              // Through the timer: a network that answers at once must not recurse here.
              scheduler.schedule(Duration.ZERO, () -> io.execute(() -> replayNext(t)));
            } else {
              synchronized (t) {
                t.running = false; // the next tick tries again, from the first hint not done
              }
            }
          } catch (RuntimeException failure) {
            stopped(t, failure);
          }
        }, io);
  }

  /** Releases the prefix of the batch that is done; true if all of it was. */
  private boolean delivered(Target t, List<Hint> batch, List<CompletableFuture<Sent>> sent) {
    long upTo = -1;
    int stored = 0;
    int i = 0;
    for (; i < batch.size(); i++) {
      Sent outcome = sent.get(i).join();
      if (outcome == Sent.FAILED) {
        break;
      }
      Hint h = batch.get(i);
      upTo = h.sequence();
      if (outcome == Sent.STORED) {
        stored++;
        handedOff.incrementAndGet();
        listener.hintHandedOff(t.id, h.key());
      } else {
        dropped.incrementAndGet();
        listener.hintDropped(t.id, h.key(), h.versions(), "refused by its owner");
        log.warn("{} refuses the hint of {} for good (it cannot store that set): dropped it; "
            + "anti-entropy repairs the key", t.id, h.key());
      }
    }
    synchronized (t) {
      if (upTo >= 0 && !closed) {
        store.release(t.id, upTo);
      }
    }
    if (stored > 0) {
      log.debug("handed off {} hints to {}", stored, t.id);
    }
    return i == batch.size();
  }

  private void stopped(Target t, RuntimeException e) {
    synchronized (t) {
      t.running = false;
    }
    log.warn("hinted handoff to {} stopped: {}; trying again in {}", t.id, e.toString(),
        settings.interval());
  }

  /** Sends one hint to its owner as a replica write. */
  private CompletableFuture<Sent> send(NodeId target, Hint h) {
    CompletableFuture<Sent> done = new CompletableFuture<>();
    Scheduler.Cancellable timer = scheduler.schedule(sendTimeout, () -> done.complete(Sent.FAILED));
    CompletableFuture<ReplicaResponse> reply;
    try {
      reply = network.send(target, new ReplicaRequest.Store(h.key(), h.versions()));
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    reply.whenComplete((resp, err) -> {
      timer.cancel();
      if (err == null && resp instanceof ReplicaResponse.Stored) {
        done.complete(Sent.STORED);
      } else if (err == null && resp instanceof ReplicaResponse.Failed f && refusedForGood(f)) {
        done.complete(Sent.REFUSED_FOR_GOOD);
      } else {
        done.complete(Sent.FAILED);
      }
    });
    return done;
  }

  /** An owner's answer that no retry can change: the set is too large or invalid for it. */
  static boolean refusedForGood(ReplicaResponse.Failed f) {
    return f.code() == ErrorCode.TOO_LARGE || f.code() == ErrorCode.INVALID_ARGUMENT;
  }

  // ---------------------------------------------------------------- bounds

  /** Drops hints older than the age bound; caller holds {@code t}. */
  private void expire(Target t, long now) {
    long cutoff = now - settings.maxHintAge().toMillis();
    HintBacklog backlog = store.backlog(t.id);
    if (backlog.isEmpty() || backlog.oldestCreatedMillis() >= cutoff) {
      return; // nothing to drop: decided from the index, no hint read
    }
    int n = 0;
    while (true) {
      List<Hint> oldest = store.oldest(t.id, EXPIRE_SCAN);
      long upTo = -1;
      boolean more = oldest.size() == EXPIRE_SCAN;
      for (Hint h : oldest) {
        if (h.createdMillis() >= cutoff) {
          more = false;
          break;
        }
        upTo = h.sequence();
        n++;
        listener.hintDropped(t.id, h.key(), h.versions(), "older than " + settings.maxHintAge());
      }
      if (upTo < 0) {
        break;
      }
      store.release(t.id, upTo);
      if (!more) {
        break;
      }
    }
    if (n > 0) {
      dropped.addAndGet(n);
      if (!t.warnedAge) {
        t.warnedAge = true;
        log.warn("dropped {} hints for {} older than {} (handoff.max.hint.age) without handing "
            + "them off; anti-entropy repairs the keys they covered", n, t.id,
            settings.maxHintAge());
      }
    }
  }

  /**
   * Drops the oldest hints, never {@code kept} or a later one, while the target's backlog is over
   * the byte bound; caller holds t.
   */
  private void enforceBytes(Target t, long kept) {
    long excess = store.backlog(t.id).bytes() - settings.maxHintBytes();
    int n = 0;
    while (excess > 0) {
      List<Hint> oldest = store.oldest(t.id, BOUND_SCAN);
      long upTo = -1;
      for (Hint h : oldest) {
        if (excess <= 0 || h.sequence() >= kept) {
          break;
        }
        excess -= h.bytes();
        upTo = h.sequence();
        n++;
        listener.hintDropped(t.id, h.key(), h.versions(),
            "over " + settings.maxHintBytes() + " bytes");
      }
      if (upTo < 0) {
        break;
      }
      store.release(t.id, upTo);
    }
    if (n > 0) {
      dropped.addAndGet(n);
      if (!t.warnedBytes) {
        t.warnedBytes = true;
        log.warn("the hints for {} passed {} bytes (handoff.max.hint.bytes): dropped the {} "
            + "oldest; anti-entropy repairs the keys they covered", t.id, settings.maxHintBytes(),
            n);
      }
    }
  }

  /** One target's replay state and rate limit; guarded by itself. */
  private final class Target {
    final NodeId id;
    boolean running;
    boolean warnedAge;
    boolean warnedBytes;
    boolean emptied = true;
    double hintTokens;
    double byteTokens;
    long refilledAt = -1;

    Target(NodeId id) {
      this.id = id;
    }

    /** Tokens for the time since the last refill, up to one second's worth. */
    void refill(long now) {
      long hps = settings.maxHintsPerSecond();
      long bps = settings.maxBytesPerSecond();
      if (refilledAt < 0) {
        hintTokens = hps;
        byteTokens = bps;
      } else {
        double seconds = Math.max(0, now - refilledAt) / 1000.0;
        hintTokens = Math.min(hps, hintTokens + seconds * hps);
        byteTokens = Math.min(bps, byteTokens + seconds * bps);
      }
      refilledAt = now;
    }

    /** The prefix of {@code hints} the rate limit allows now, spending its tokens. */
    List<Hint> allowed(List<Hint> hints) {
      long hps = settings.maxHintsPerSecond();
      long bps = settings.maxBytesPerSecond();
      List<Hint> out = new ArrayList<>();
      for (Hint h : hints) {
        boolean hintOk = hps == 0 || hintTokens >= 1;
        // A hint larger than a whole second's bytes still goes, alone, once the bucket is full.
        boolean bytesOk = bps == 0 || byteTokens >= h.bytes() || (out.isEmpty() && byteTokens >= bps);
        if (!hintOk || !bytesOk) {
          break;
        }
        hintTokens -= hps == 0 ? 0 : 1;
        byteTokens -= bps == 0 ? 0 : h.bytes();
        out.add(h);
      }
      return out;
    }
  }
}
