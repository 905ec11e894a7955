package io.ringkv.replication;

import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.Scheduler;
import io.ringkv.api.Siblings;
import io.ringkv.replication.api.ReplicaRequest;
import io.ringkv.replication.api.ReplicaResponse;
import io.ringkv.ring.Ring;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merkle-tree anti-entropy on one node. Every {@code interval} (and at once on
 * {@link #repair}), a round walks this node's partitions (in order from a partition of its own,
 * so replicas do not walk in step) and, for each replication
 * factor it holds keys of (or that the configuration names), runs an {@link Exchange} with every
 * other primary of the partition that is up, one at a time. A scheduled round does so only where
 * this node is the first primary that is up (the leader): an exchange reconciles both sides, so
 * the others would only move the same keys again. A repair asked for exchanges everywhere. Rounds
 * never overlap: a repair asked while one runs starts when it ends.
 *
 * <p>Tombstones are reaped here, tied to the exchange rather than to a hint-age grace: a key whose
 * sibling set holds only tombstones is removed from every primary when a round finds the
 * partition's trees equal on every primary (so each holds the same tombstones), an earlier round
 * found the same tombstones at least twice the request timeout before (so every write that was
 * in flight then has landed or become a hint), no ring change is in progress, and no member holds
 * a hint or a stray copy of the key (so no older version can arrive later and come back).
 */
final class AntiEntropy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AntiEntropy.class);
  private static final int REAP_PER_PARTITION = 1_000;

  private final Exchange.Context ctx;
  private final Supplier<Ring> ring;
  private final Liveness liveness;
  private final HintedHandoff handoff;
  private final AntiEntropySettings settings;
  private final Set<Integer> configuredFactors;
  private final Map<String, ExchangeRecord> records = new ConcurrentHashMap<>();
  private final Map<Long, Map<Key, Sighting>> reapCandidates = new ConcurrentHashMap<>();
  private final AtomicLong exchanges = new AtomicLong();
  private final AtomicLong failedExchanges = new AtomicLong();
  private final AtomicLong keysRepaired = new AtomicLong();
  private final AtomicLong bytesRepaired = new AtomicLong();
  private final AtomicLong reaped = new AtomicLong();
  private final AtomicLong rounds = new AtomicLong();
  private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
  private boolean scheduledPending;
  private volatile boolean running;
  private Scheduler.Cancellable periodic;

  private final Supplier<Optional<RingChange>> change;
  private final Supplier<Set<NodeId>> members;

  AntiEntropy(Exchange.Context ctx, Supplier<Ring> ring, Liveness liveness, HintedHandoff handoff,
      AntiEntropySettings settings, Set<Integer> configuredFactors,
      Supplier<Optional<RingChange>> change, Supplier<Set<NodeId>> members) {
    this.ctx = ctx;
    this.change = change;
    this.members = members;
    this.ring = ring;
    this.liveness = liveness;
    this.handoff = handoff;
    this.settings = settings;
    this.configuredFactors = Set.copyOf(configuredFactors);
  }

  /** Starts the periodic rounds (when enabled). */
  void start() {
    if (settings.enabled()) {
      periodic = ctx.scheduler().every(settings.interval(), this::scheduledRound);
    }
  }

  @Override
  public void close() {
    if (periodic != null) {
      periodic.cancel();
    }
  }

  private void scheduledRound() {
    synchronized (this) {
      if (scheduledPending) {
        return; // the last scheduled round has not ended yet
      }
      scheduledPending = true;
    }
    run(OptionalInt.empty(), true).whenComplete((r, e) -> {
      synchronized (this) {
        scheduledPending = false;
      }
    });
  }

  /**
   * Runs a round now, over one partition or all, after any round already running; completes with
   * what the round did.
   */
  CompletableFuture<RoundReport> repair(OptionalInt partition) {
    return run(partition, false);
  }

  /** What a scheduled round does, now. */
  CompletableFuture<RoundReport> scheduledRoundNow() {
    return run(OptionalInt.empty(), true);
  }

  private CompletableFuture<RoundReport> run(OptionalInt partition, boolean scheduled) {
    partition.ifPresent(p -> {
      if (p < 0 || p >= ctx.trees().partitions()) {
        throw new IllegalArgumentException("partition " + p + " is not in [0, "
            + ctx.trees().partitions() + ")");
      }
    });
    CompletableFuture<RoundReport> done = new CompletableFuture<>();
    synchronized (this) {
      tail = tail.thenComposeAsync(v -> round(partition, scheduled), ctx.executor())
          .handle((report, e) -> {
            if (e != null) {
              log.warn("anti-entropy round failed", e);
              done.completeExceptionally(e);
            } else {
              done.complete(report);
            }
            return null;
          });
    }
    return done;
  }

  private CompletableFuture<RoundReport> round(OptionalInt only, boolean scheduled) {
    Ring current;
    try {
      current = ring.get();
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(RoundReport.EMPTY); // no ring yet
    }
    running = true;
    RoundReport.Builder report = new RoundReport.Builder();
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    // Each node starts its walk at its own partition, so that two replicas refilling a third do
    // not push it the same partitions at the same time (the second finds them equal).
    int q = current.partitions();
    int start = Math.floorMod(ctx.self().value().hashCode(), q);
    int count = only.isPresent() ? 1 : q;
    for (int i = 0; i < count; i++) {
      int partition = only.isPresent() ? only.getAsInt() : (start + i) % q;
      chain = chain.thenCompose(v -> partition(current, partition, scheduled, report));
    }
    return chain.handle((v, e) -> {
      running = false;
      rounds.incrementAndGet();
      RoundReport r = report.build();
      if (r.keysRepaired() > 0 || r.failed() > 0) {
        log.info("anti-entropy round: {} exchanges ({} failed), {} keys repaired, {} reaped",
            r.exchanges(), r.failed(), r.keysRepaired(), r.reaped());
      }
      return r;
    });
  }

  private CompletableFuture<Void> partition(Ring current, int partition, boolean scheduled,
      RoundReport.Builder report) {
    if (!ctx.trees().ready(partition)) {
      return CompletableFuture.completedFuture(null);
    }
    TreeSet<Integer> factors = new TreeSet<>(configuredFactors);
    factors.addAll(ctx.trees().replicationFactors(partition));
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (int n : factors) {
      List<NodeId> primaries = current.preferenceList(partition, n).primaries();
      if (!primaries.contains(ctx.self())) {
        continue;
      }
      if (scheduled && !leads(primaries)) {
        chain = chain.thenCompose(v -> forgetCandidates(partition, n));
        continue;
      }
      List<NodeId> peers = new ArrayList<>();
      boolean allUp = true;
      for (NodeId node : primaries) {
        if (node.equals(ctx.self())) {
          continue;
        }
        if (liveness.isUp(node)) {
          peers.add(node);
        } else {
          allUp = false;
        }
      }
      // No reaping while the ring changes: a new replica may hold an older copy it pulled.
      boolean everyPrimary = allUp && change.get().isEmpty();
      chain = chain.thenCompose(v -> exchangeAll(partition, n, peers, report))
          .thenCompose(allInSync -> everyPrimary && allInSync && settings.reapTombstones()
              ? reap(current, partition, n, peers, report)
              : forgetCandidates(partition, n));
    }
    return chain;
  }

  /**
   * Whether this node is the first primary it sees up, the one that exchanges with the others in
   * scheduled rounds: an exchange reconciles both sides, so one per pair of replicas is enough,
   * and the leader, seeing every tree, is the one that can reap.
   */
  private boolean leads(List<NodeId> primaries) {
    for (NodeId node : primaries) {
      if (node.equals(ctx.self())) {
        return true;
      }
      if (liveness.isUp(node)) {
        return false;
      }
    }
    return true;
  }

  /** Exchanges with each peer in turn; completes with whether every one found equal trees. */
  private CompletableFuture<Boolean> exchangeAll(int partition, int n, List<NodeId> peers,
      RoundReport.Builder report) {
    CompletableFuture<Boolean> chain = CompletableFuture.completedFuture(true);
    for (NodeId peer : peers) {
      chain = chain.thenCompose(ok -> Exchange.run(ctx, partition, n, peer).handle((o, e) -> {
        exchanges.incrementAndGet();
        long now = ctx.clock().millis();
        String id = partition + "/" + peer.value();
        ExchangeRecord before = records.get(id);
        long total = before == null ? 0 : before.keysRepaired();
        if (e != null) {
          failedExchanges.incrementAndGet();
          report.failed();
          String why = Futures.unwrap(e).getMessage();
          log.debug("anti-entropy exchange of partition {} with {} failed: {}", partition, peer,
              why);
          records.put(id, new ExchangeRecord(partition, peer, now, false, total, why));
          return false;
        }
        keysRepaired.addAndGet(o.keysRepaired());
        bytesRepaired.addAndGet(o.bytesMoved());
        report.exchange(o.keysRepaired());
        records.put(id, new ExchangeRecord(partition, peer, now, true,
            total + o.keysRepaired(), ""));
        if (o.keysRepaired() > 0) {
          log.debug("anti-entropy repaired {} keys of partition {} (n={}) with {}",
              o.keysRepaired(), partition, n, peer);
        }
        return ok && o.inSync();
      }));
    }
    return chain;
  }

  private CompletableFuture<Void> forgetCandidates(int partition, int n) {
    reapCandidates.remove(id(partition, n));
    return CompletableFuture.completedFuture(null);
  }

  /** See the class comment: reaps the tombstones seen, unchanged, in two rounds in a row. */
  private CompletableFuture<Void> reap(Ring current, int partition, int n, List<NodeId> peers,
      RoundReport.Builder report) {
    long id = id(partition, n);
    if (!ctx.trees().hasTombstones(partition, n)) {
      reapCandidates.remove(id);
      return CompletableFuture.completedFuture(null);
    }
    long at = ctx.clock().millis();
    Map<Key, Sighting> previous = reapCandidates.getOrDefault(id, Map.of());
    Map<Key, Sighting> sightings = new HashMap<>();
    Map<Key, Siblings> now = new HashMap<>();
    ctx.engine().forEachInPartition(partition, (key, siblings) -> {
      if (siblings.isDeleted() && ctx.trees().replicasOf(key) == n
          && now.size() < REAP_PER_PARTITION) {
        now.put(key, siblings);
        Sighting seen = previous.get(key);
        sightings.put(key, seen != null && seen.tombstones().equals(siblings) ? seen
            : new Sighting(siblings, at));
      }
    });
    reapCandidates.put(id, sightings);
    List<Key> eligible = new ArrayList<>();
    long settled = inFlightBound().toMillis();
    for (Map.Entry<Key, Sighting> e : sightings.entrySet()) {
      Sighting seen = previous.get(e.getKey());
      if (seen != null && seen == e.getValue() && at - seen.firstMillis() >= settled
          && handoff.pendingFor(e.getKey()).isEmpty()) {
        eligible.add(e.getKey());
      }
    }
    if (eligible.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return hintedAnywhere(current, eligible).thenCompose(hinted -> {
      if (hinted == null) {
        return CompletableFuture.<Void>completedFuture(null); // a node did not answer: not now
      }
      List<CompletableFuture<?>> sent = new ArrayList<>();
      for (Key key : eligible) {
        if (hinted.contains(key)) {
          continue;
        }
        Siblings tombstones = now.get(key);
        for (NodeId peer : peers) {
          sent.add(Exchange.ask(ctx, peer, new ReplicaRequest.Reap(key, tombstones))
              .exceptionally(e -> null));
        }
        try {
          if (ctx.engine().removeIfEquals(key, tombstones)) {
            reaped.incrementAndGet();
            report.reaped();
            now.remove(key);
          }
        } catch (RuntimeException e) {
          // Best effort (a full disk refuses the removal record): the others still reap.
          log.warn("reaping the tombstones of {} here failed: {}", key, e.getMessage());
        }
      }
      return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
    });
  }

  /**
   * The keys some member holds hints for, or a copy of outside the key's replicas (a node that
   * left or lost the partition and has not handed it off yet); null when a member did not answer.
   */
  private CompletableFuture<Set<Key>> hintedAnywhere(Ring current, List<Key> keys) {
    Set<Key> hinted = ConcurrentHashMap.newKeySet();
    List<CompletableFuture<Boolean>> asked = new ArrayList<>();
    Set<NodeId> everyone = new TreeSet<>(current.nodes());
    everyone.addAll(members.get());
    for (NodeId node : everyone) {
      if (node.equals(ctx.self())) {
        continue;
      }
      asked.add(Exchange.ask(ctx, node, new ReplicaRequest.FindHints(keys)).handle((r, e) -> {
        if (e == null && r instanceof ReplicaResponse.KeysHinted h) {
          hinted.addAll(h.keys());
          return true;
        }
        return false;
      }));
    }
    return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).thenApply(v -> {
      for (CompletableFuture<Boolean> f : asked) {
        if (!f.join()) {
          return null;
        }
      }
      return new HashSet<>(hinted);
    });
  }

  /** The last exchange of each partition with each peer, by partition then peer. */
  List<ExchangeRecord> records() {
    List<ExchangeRecord> out = new ArrayList<>(records.values());
    out.sort((a, b) -> a.partition() != b.partition()
        ? Integer.compare(a.partition(), b.partition()) : a.peer().compareTo(b.peer()));
    return out;
  }

  AntiEntropyStats stats() {
    return new AntiEntropyStats(rounds.get(), exchanges.get(), failedExchanges.get(),
        keysRepaired.get(), bytesRepaired.get(), reaped.get(), running, ctx.trees().size());
  }

  /**
   * How long after the first sighting a write that was in flight then has landed or become a
   * hint: its copy goes to a fall-back after the replica wait, within the request timeout; twice
   * that leaves room for the hint itself to be stored.
   */
  private java.time.Duration inFlightBound() {
    return ctx.timeout().multipliedBy(2);
  }

  /** Tombstones seen on every replica, unchanged since {@code firstMillis}. */
  private record Sighting(Siblings tombstones, long firstMillis) {}

  private static long id(int partition, int n) {
    return ((long) partition << 32) | n;
  }
}
