package io.ringkv.replication;

import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.Scheduler;
import io.ringkv.api.Siblings;
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
 * empties); anti-entropy repairs what they covered.
 */
final class HintedHandoff implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HintedHandoff.class);
  private static final int SCAN = 256;

  private final HintStore store;
  private final ReplicaNetwork network;
  private final Liveness liveness;
  private final Scheduler scheduler;
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
      Clock clock, HandoffSettings settings, Duration sendTimeout, ReplicationListener listener) {
    this.store = store;
    this.network = network;
    this.liveness = liveness;
    this.scheduler = scheduler;
    this.clock = clock;
    this.settings = settings;
    this.sendTimeout = sendTimeout;
    this.listener = listener;
  }

  /** Counters since start: hints kept here, handed off, dropped unreplayed. */
  record Stats(long kept, long handedOff, long dropped) {}

  /** Starts the periodic replay; call once. */
  synchronized void start() {
    if (task == null && !closed) {
      task = scheduler.every(settings.interval(), this::tick);
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
   * durable as the store makes it. Past the byte bound, the target's oldest hints are dropped.
   *
   * @throws io.ringkv.api.RingkvException when the store refuses it (disk full, too large)
   */
  Hint keep(NodeId target, Key key, Siblings versions) {
    Hint hint = store.append(target, key, versions, clock.millis());
    kept.incrementAndGet();
    Target t = target(target);
    synchronized (t) {
      t.emptied = false;
      enforceBytes(t);
    }
    return hint;
  }

  /** What this node holds as hints for {@code key}, per intended owner. */
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
    Set<NodeId> pending = store.targets();
    for (NodeId id : pending) {
      Target t = target(id);
      synchronized (t) {
        expire(t, now);
        if (!t.running && liveness.isUp(id)) {
          t.running = true;
          t.refill(now);
          scheduler.schedule(Duration.ZERO, () -> replayNext(t));
        }
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

  private void replayNext(Target t) {
    List<Hint> batch;
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
    List<CompletableFuture<Boolean>> sent = new ArrayList<>(batch.size());
    for (Hint h : batch) {
      sent.add(send(t.id, h));
    }
    CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).whenComplete((v, e) -> {
      long upTo = -1;
      int delivered = 0;
      for (int i = 0; i < batch.size() && sent.get(i).join(); i++) {
        upTo = batch.get(i).sequence();
        delivered++;
      }
      boolean all = delivered == batch.size();
      synchronized (t) {
        if (upTo >= 0 && !closed) {
          store.release(t.id, upTo);
        }
      }
      for (int i = 0; i < delivered; i++) {
        handedOff.incrementAndGet();
        listener.hintHandedOff(t.id, batch.get(i).key());
      }
      if (delivered > 0) {
        log.debug("handed off {} hints to {}", delivered, t.id);
      }
      if (all) {
        scheduler.schedule(Duration.ZERO, () -> replayNext(t));
      } else {
        synchronized (t) {
          t.running = false; // the next tick tries again, from the first hint not acknowledged
        }
      }
    });
  }

  /** Sends one hint to its owner as a replica write; completes with whether it was stored. */
  private CompletableFuture<Boolean> send(NodeId target, Hint h) {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    Scheduler.Cancellable timer = scheduler.schedule(sendTimeout, () -> done.complete(false));
    CompletableFuture<ReplicaResponse> reply;
    try {
      reply = network.send(target, new ReplicaRequest.Store(h.key(), h.versions()));
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    reply.whenComplete((resp, err) -> {
      timer.cancel();
      done.complete(err == null && resp instanceof ReplicaResponse.Stored);
    });
    return done;
  }

  // ---------------------------------------------------------------- bounds

  /** Drops hints older than the age bound; caller holds {@code t}. */
  private void expire(Target t, long now) {
    long cutoff = now - settings.maxHintAge().toMillis();
    long upTo = -1;
    int n = 0;
    scan:
    while (true) {
      List<Hint> oldest = store.oldest(t.id, SCAN);
      long before = upTo;
      for (Hint h : oldest) {
        if (h.createdMillis() >= cutoff) {
          break scan;
        }
        upTo = h.sequence();
        n++;
        listener.hintDropped(t.id, h.key(), h.versions(), "older than " + settings.maxHintAge());
      }
      if (upTo == before || oldest.size() < SCAN) {
        break;
      }
      store.release(t.id, upTo);
    }
    if (n > 0) {
      store.release(t.id, upTo);
      dropped.addAndGet(n);
      if (!t.warnedAge) {
        t.warnedAge = true;
        log.warn("dropped {} hints for {} older than {} (handoff.max.hint.age) without handing "
            + "them off; anti-entropy repairs the keys they covered", n, t.id,
            settings.maxHintAge());
      }
    }
  }

  /** Drops the oldest hints while the target's backlog is over the byte bound; caller holds t. */
  private void enforceBytes(Target t) {
    long excess = store.backlog(t.id).bytes() - settings.maxHintBytes();
    int n = 0;
    while (excess > 0) {
      List<Hint> oldest = store.oldest(t.id, SCAN);
      if (oldest.isEmpty()) {
        break;
      }
      long upTo = -1;
      for (Hint h : oldest) {
        if (excess <= 0) {
          break;
        }
        excess -= h.bytes();
        upTo = h.sequence();
        n++;
        listener.hintDropped(t.id, h.key(), h.versions(),
            "over " + settings.maxHintBytes() + " bytes");
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
