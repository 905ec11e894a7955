package io.ringkv.replication;

import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.Scheduler;
import io.ringkv.api.Siblings;
import io.ringkv.ring.Ring;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Partition handoff on ring changes, on one node, every second:
 * <ul>
 *   <li><b>Receiving.</b> While a {@link RingChange} is in progress, this node pulls each
 *   partition (per replication factor) it gains from every current replica of it, by an
 *   anti-entropy {@link Exchange} (only what it lacks moves, so a transfer cut short by a crash
 *   resumes where it was: the trees come back from storage). It waits {@code settle} after it
 *   first sees the change, so that every coordinator has seen it too and sends new writes its
 *   way (see {@link Plan#incoming}); an exchange that starts after that misses nothing. A source
 *   that is down holds the partition back (it is tried again each second; remove a dead node
 *   with {@code ringkv remove}). When every partition it gains is here, it tells membership it is
 *   ready ({@code onReady}); the ring switches once every node of the next ring is.</li>
 *   <li><b>Handing off.</b> When no change is in progress and this node holds keys of a
 *   partition it does not replicate (it left, lost the partition to a joining node, or took a
 *   stray write), it exchanges that partition with every current replica, and only once all of
 *   them hold everything it has, removes its copies (each only if unchanged since).</li>
 * </ul>
 */
final class PartitionTransfers implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PartitionTransfers.class);
  private static final Duration TICK = Duration.ofSeconds(1);

  private final Exchange.Context ctx;
  private final Supplier<Ring> ring;
  private final Supplier<Optional<RingChange>> change;
  private final Liveness liveness;
  private final Set<Integer> factors;
  private final LongConsumer onReady;
  private final Duration settle;
  private final AtomicLong handedOff = new AtomicLong();
  private long working;
  private List<long[]> gains = List.of();
  private final Set<Long> done = new java.util.HashSet<>();
  private long seenAt;
  private boolean reported;
  private boolean running;
  private long keys;
  private long bytes;
  private String waitingFor = "";
  private Scheduler.Cancellable periodic;

  PartitionTransfers(Exchange.Context ctx, Supplier<Ring> ring,
      Supplier<Optional<RingChange>> change, Liveness liveness, Set<Integer> factors,
      LongConsumer onReady, Duration settle) {
    this.ctx = ctx;
    this.ring = ring;
    this.change = change;
    this.liveness = liveness;
    this.factors = Set.copyOf(factors);
    this.onReady = onReady;
    this.settle = settle;
  }

  void start() {
    periodic = ctx.scheduler().every(TICK, () -> ctx.executor().execute(this::tick));
  }

  @Override
  public void close() {
    if (periodic != null) {
      periodic.cancel();
    }
  }

  /** One step: note a new change, start the next transfer or handoff if none runs. */
  void tick() {
    Ring current;
    try {
      current = ring.get();
    } catch (RuntimeException e) {
      return; // no ring yet
    }
    Optional<RingChange> c = change.get();
    synchronized (this) {
      if (running) {
        return;
      }
      if (c.isEmpty()) {
        if (working != 0) {
          log.info("ring version {} is in effect", working);
          working = 0;
          gains = List.of();
        }
      } else if (c.get().version() != working) {
        begin(current, c.get());
      }
    }
    if (c.isPresent()) {
      receive(current, c.get());
    } else {
      handOff(current);
    }
  }

  private void begin(Ring current, RingChange c) {
    working = c.version();
    gains = gained(current, c.next());
    done.clear();
    seenAt = ctx.clock().millis();
    reported = false;
    keys = 0;
    bytes = 0;
    waitingFor = "";
    log.info("ring change to version {}: this node gains {} partitions (per replication factor);"
        + " they are pulled from their current replicas", c.version(), gains.size());
  }

  /** (partition, n) this node replicates in {@code next} but not in {@code current}. */
  private List<long[]> gained(Ring current, Ring next) {
    List<long[]> out = new ArrayList<>();
    for (int p = 0; p < current.partitions(); p++) {
      for (int n : factorsOf(p)) {
        if (next.preferenceList(p, n).primaries().contains(ctx.self())
            && !current.preferenceList(p, n).primaries().contains(ctx.self())) {
          out.add(new long[] {p, n});
        }
      }
    }
    return out;
  }

  private Set<Integer> factorsOf(int partition) {
    Set<Integer> out = new TreeSet<>(factors);
    out.addAll(ctx.trees().replicationFactors(partition));
    return out;
  }

  private void receive(Ring current, RingChange c) {
    long[] next = null;
    synchronized (this) {
      for (long[] pn : gains) {
        if (!done.contains(id(pn))) {
          next = pn;
          break;
        }
      }
      if (next == null) {
        if (!reported) {
          reported = true;
          log.info("this node holds every partition it gains in ring version {} ({} keys, {} "
              + "bytes moved): ready", c.version(), keys, bytes);
          onReady.accept(c.version());
        }
        return;
      }
      if (ctx.clock().millis() - seenAt < settle.toMillis()) {
        return;
      }
      running = true;
    }
    long[] pn = next;
    pull(current, c, (int) pn[0], (int) pn[1]).whenComplete((moved, e) -> {
      synchronized (this) {
        running = false;
        if (c.version() != working) {
          return;
        }
        if (e != null) {
          waitingFor = Futures.unwrap(e).getMessage();
          log.debug("transfer of partition {} (n={}) waits: {}", pn[0], pn[1], waitingFor);
          return;
        }
        waitingFor = "";
        done.add(id(pn));
        TransferProgress p = progress();
        log.info("handoff to ring version {}: partition {} (n={}) is here, {}/{} partitions, "
            + "{} keys, {} bytes, {} keys/s, ETA {} s", c.version(), pn[0], pn[1], p.done(),
            p.partitions(), p.keys(), p.bytes(), Math.round(p.keysPerSecond()),
            p.etaMillis() < 0 ? "?" : Math.round(p.etaMillis() / 1000.0));
      }
      if (e == null) {
        ctx.executor().execute(this::tick); // the next partition at once, not at the next tick
      }
    });
  }

  /** Exchanges the partition with each of its current replicas but this node, in turn. */
  private CompletableFuture<Long> pull(Ring current, RingChange c, int partition, int n) {
    List<NodeId> sources = sources(current, c.gone(), partition, n);
    for (NodeId s : sources) {
      if (!liveness.isUp(s)) {
        return Futures.failed(new IllegalStateException("partition " + partition + " (n=" + n
            + ") waits for its replica " + s + ", which is down"));
      }
    }
    CompletableFuture<Long> chain = CompletableFuture.completedFuture(0L);
    for (NodeId source : sources) {
      chain = chain.thenCompose(sum -> Exchange.run(ctx, partition, n, source).thenApply(o -> {
        synchronized (this) {
          keys += o.keysRepaired();
          bytes += o.bytesMoved();
        }
        return sum + o.keysRepaired();
      }));
    }
    return chain;
  }

  private List<NodeId> sources(Ring current, Set<NodeId> gone, int partition, int n) {
    List<NodeId> out = new ArrayList<>();
    for (NodeId node : current.preferenceList(partition, n).primaries()) {
      if (!node.equals(ctx.self()) && !gone.contains(node)) {
        out.add(node);
      }
    }
    return out;
  }

  /** Hands off one partition this node holds keys of but does not replicate, if any. */
  private void handOff(Ring current) {
    for (int p = 0; p < current.partitions(); p++) {
      for (int n : ctx.trees().replicationFactors(p)) {
        if (!current.preferenceList(p, n).primaries().contains(ctx.self())) {
          List<NodeId> replicas = sources(current, Set.of(), p, n);
          boolean allUp = !replicas.isEmpty() && replicas.stream().allMatch(liveness::isUp);
          if (!allUp) {
            continue;
          }
          synchronized (this) {
            running = true;
          }
          int partition = p;
          int factor = n;
          CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
          for (NodeId r : replicas) {
            chain = chain.thenCompose(v -> Exchange.run(ctx, partition, factor, r))
                .thenApply(o -> null);
          }
          chain.whenComplete((v, e) -> {
            try {
              if (e == null) {
                drop(current, partition, factor);
              } else {
                log.debug("handing off partition {} (n={}) waits: {}", partition, factor,
                    Futures.unwrap(e).getMessage());
              }
            } finally {
              synchronized (this) {
                running = false;
              }
            }
            if (e == null) {
              ctx.executor().execute(this::tick); // the next partition at once
            }
          });
          return;
        }
      }
    }
  }

  /** Removes this node's copies of (partition, n), each only if it did not change meanwhile. */
  private void drop(Ring current, int partition, int n) {
    Map<Key, Siblings> held = new HashMap<>();
    ctx.engine().forEachInPartition(partition, (key, siblings) -> {
      if (ctx.trees().replicasOf(key) == n) {
        held.put(key, siblings);
      }
    });
    long removed = 0;
    for (Map.Entry<Key, Siblings> e : held.entrySet()) {
      try {
        if (ctx.engine().removeIfEquals(e.getKey(), e.getValue())) {
          removed++;
        }
      } catch (RuntimeException ex) {
        log.warn("removing the handed-off copy of {} failed: {}", e.getKey(), ex.getMessage());
      }
    }
    handedOff.addAndGet(removed);
    log.info("partition {} (n={}) handed off to {}: {} keys removed here", partition, n,
        current.preferenceList(partition, n).primaries(), removed);
  }

  synchronized TransferProgress progress() {
    if (working == 0) {
      return TransferProgress.NONE;
    }
    return new TransferProgress(working, gains.size(), done.size(), keys, bytes,
        Math.max(0, ctx.clock().millis() - seenAt - settle.toMillis()), waitingFor);
  }

  /** Keys this node removed after handing their partition off, since it started. */
  long handedOff() {
    return handedOff.get();
  }

  private static long id(long[] pn) {
    return (pn[0] << 32) | pn[1];
  }
}
