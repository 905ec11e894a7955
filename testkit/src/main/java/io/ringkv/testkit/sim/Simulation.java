package io.ringkv.testkit.sim;

import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.Dot;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.QuorumSpec;
import io.ringkv.api.RequestOptions;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import io.ringkv.replication.HandoffSettings;
import io.ringkv.replication.ReplicationListener;
import io.ringkv.replication.ReplicationSettings;
import io.ringkv.storage.spi.Hint;
import io.ringkv.testkit.ManualScheduler;
import io.ringkv.testkit.history.History;
import io.ringkv.testkit.history.HistoryChecker;
import io.ringkv.versioning.ContextCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * The deterministic simulation of DESIGN.md's testing layer 4: a 5-node cluster (N=3, R=2, W=2,
 * sloppy quorum with hinted handoff) in one thread, several clients doing read-modify-writes,
 * blind puts, deletes and reads on a few hot keys while the network loses, duplicates and delays
 * messages and nodes crash (owners and hint holders alike), restart (sometimes losing their
 * hints) and get partitioned.
 *
 * <p>After healing it lets hinted handoff run, without any read, and checks that every key's
 * primaries hold the same versions, no fall-back holds any, and no hint is left, for every key
 * except those a lost hint covered or whose coordinator died while placing a write's copies
 * (those need anti-entropy, or the reads that follow). Then, after read repair, it checks by
 * history: no acknowledged write lost, no value nobody wrote, no deleted value back, all replicas
 * converged, every operation finished.
 */
public final class Simulation {

  /** How big a run is. */
  public record Config(int nodes, int keys, int clients, int operations, Faults faults,
      boolean crashes, boolean partitions, Duration requestTimeout, double hintLoss) {
    public static Config standard() {
      return new Config(5, 8, 4, 1000, new Faults(0.05, 0.02, 1, 20), true, true,
          Duration.ofMillis(300), 0.1);
    }

    public Config withOperations(int ops) {
      return new Config(nodes, keys, clients, ops, faults, crashes, partitions, requestTimeout,
          hintLoss);
    }
  }

  /** Hints live 20 s here; tombstones are reaped past 25 s, longer than any hint lives. */
  static final HandoffSettings HANDOFF = HandoffSettings.DEFAULTS
      .withMaxHintAge(Duration.ofSeconds(20));
  /** Long enough for every hint to reach its owner once the cluster is healed. */
  static final Duration HANDOFF_TIME = Duration.ofSeconds(30);

  /** What a run did and found. */
  public record Result(long seed, int operations, int acknowledgedWrites, int failedWrites,
      int crashes, int partitions, long simulatedMillis, List<String> violations, String network,
      long hintsHandedOff, int versionsHandedOffChecked, int versionsLeftToRepair) {
    public boolean ok() {
      return violations.isEmpty();
    }

    public String summary() {
      return "seed " + seed + ": " + operations + " ops, " + acknowledgedWrites + " writes acked, "
          + failedWrites + " failed, " + crashes + " crashes, " + partitions + " partitions, "
          + simulatedMillis + " ms simulated, " + network + ", " + hintsHandedOff
          + " hints handed off, " + versionsHandedOffChecked + " versions on every primary"
          + " without a read, " + versionsLeftToRepair + " left to read repair"
          + (ok() ? "" : "\n  " + String.join("\n  ", violations));
    }
  }

  private final long seed;
  private final Config config;
  private final Random random;
  private final History history = new History();
  private final SimCluster cluster;
  private final List<Key> keys = new ArrayList<>();
  /** Per key, the dots of writes whose copies were never all placed, or whose hints were lost. */
  private final Map<Key, Set<Dot>> excused = new HashMap<>();
  private final Map<Key, Set<Dot>> placing = new HashMap<>();
  private long handedOff;
  private final Map<Integer, Chain> chains = new HashMap<>();
  private int versionsChecked;
  private int started;
  private int finished;
  private int acked;
  private int failedWrites;
  private int crashes;
  private int partitions;
  private boolean clientsDone;

  private Simulation(long seed, Config config) {
    this.seed = seed;
    this.config = config;
    this.random = new Random(seed);
    this.cluster = SimCluster.builder().nodes(config.nodes()).partitions(16).seed(seed)
        .quorum(new QuorumSpec(3, 2, 2))
        .settings(ReplicationSettings.DEFAULTS.withRequestTimeout(config.requestTimeout()))
        .handoff(HANDOFF)
        .listener(new Tracker())
        .onReap(history::reaped).build();
    for (int i = 0; i < config.keys(); i++) {
      keys.add(Key.of("sim", "k" + i));
    }
  }

  public static Result run(long seed, Config config) {
    return new Simulation(seed, config).execute();
  }

  private Result execute() {
    ManualScheduler scheduler = cluster.scheduler();
    cluster.network().setFaults(config.faults());
    for (int c = 0; c < config.clients(); c++) {
      int client = c;
      scheduler.schedule(Duration.ofMillis(random.nextInt(20)), () -> nextOperation(client));
    }
    if (config.crashes() || config.partitions()) {
      scheduler.schedule(Duration.ofMillis(100 + random.nextInt(400)), this::fault);
    }
    cluster.runUntilIdle();
    List<String> violations = new ArrayList<>();
    if (finished != started) {
      violations.add((started - finished) + " operations never completed");
    }
    heal();
    cluster.advance(HANDOFF_TIME);
    int leftToRepair = checkHandedOff(violations);
    Map<Key, Siblings> fin = converge(violations);
    violations.addAll(HistoryChecker.check(history, fin));
    return new Result(seed, finished, acked, failedWrites, crashes, partitions, scheduler.now()
        - 1_700_000_000_000L, violations, cluster.network().stats(), handedOff, versionsChecked,
        leftToRepair);
  }

  /** Tracks the writes still placing their copies, and the versions of the hints dropped. */
  private final class Tracker implements ReplicationListener {
    @Override
    public void writeStarted(Key key, Dot dot) {
      placing.computeIfAbsent(key, k -> new HashSet<>()).add(dot);
    }

    @Override
    public void writeSettled(Key key, Dot dot) {
      placing.computeIfAbsent(key, k -> new HashSet<>()).remove(dot);
    }

    @Override
    public void hintDropped(NodeId target, Key key, Siblings versions, String reason) {
      lost(key, versions);
    }

    @Override
    public void hintHandedOff(NodeId target, Key key) {
      handedOff++;
    }
  }

  private void lost(Key key, Siblings versions) {
    Set<Dot> dots = excused.computeIfAbsent(key, k -> new HashSet<>());
    for (Versioned<Bytes> v : versions.versions()) {
      dots.add(v.dot());
    }
  }

  /**
   * After handoff and before any read: no hint is left, and every version that any primary of a
   * key holds is held by all of them, except versions whose coordinator died while placing their
   * copies, or that a lost hint carried (those wait for read repair here, for anti-entropy in a
   * real cluster). Returns how many versions were excused.
   */
  private int checkHandedOff(List<String> violations) {
    int left = 0;
    for (Key key : keys) {
      if (!cluster.hints(key).isEmpty()) {
        violations.add(key + ": hints left after handoff: " + cluster.hints(key));
      }
      Set<Dot> excuses = new HashSet<>(excused.getOrDefault(key, Set.of()));
      excuses.addAll(placing.getOrDefault(key, Set.of()));
      List<NodeId> primaries = cluster.replicas(key, 3);
      Map<NodeId, Siblings> held = cluster.holdings(key);
      Siblings current = Siblings.empty();
      for (NodeId p : primaries) {
        current = current.merge(held.get(p));
      }
      for (Versioned<Bytes> v : current.versions()) {
        if (excuses.contains(v.dot())) {
          left++;
          continue;
        }
        versionsChecked++;
        for (NodeId p : primaries) {
          if (!held.get(p).versions().contains(v)) {
            violations.add(key + ": after handoff, without a read, primary " + p + " lacks "
                + v.dot() + ": " + held);
          }
        }
      }
    }
    return left;
  }

  // ------------------------------------------------------------- clients

  private NodeId anyLiveNode() {
    List<NodeId> up = cluster.ids().stream().filter(n -> !cluster.isCrashed(n)).toList();
    return up.get(random.nextInt(up.size()));
  }

  private void nextOperation(int client) {
    if (started >= config.operations()) {
      clientsDone = true;
      return;
    }
    int op = started++;
    String id = "c" + client + "-" + op;
    Key key = keys.get(random.nextInt(keys.size()));
    int dice = random.nextInt(100);
    Chain chain = chains.get(client);
    if (dice < 10 && chain != null) {
      chainedWrite(client, id, chain);
    } else if (dice < 45) {
      readThenWrite(client, id, key, false);
    } else if (dice < 70) {
      write(client, id, key, false, Context.EMPTY, VectorClock.empty(), Siblings.empty());
    } else if (dice < 80) {
      readThenWrite(client, id, key, true);
    } else {
      bounded(cluster.node(anyLiveNode()).store().get(key)).whenComplete((r, e) -> {
        if (r != null) {
          history.observed(key, Siblings.of(r.siblings()));
        }
        done(client);
      });
    }
  }

  private void readThenWrite(int client, String id, Key key, boolean delete) {
    var read = bounded(cluster.node(anyLiveNode()).readSiblings(key, RequestOptions.DEFAULT));
    read.whenComplete((s, e) -> {
      if (e != null) {
        done(client);
        return;
      }
      history.observed(key, s);
      VectorClock clock = s.clock();
      write(client, id, key, delete, ContextCodec.encode(clock), clock, s);
    });
  }

  /** A client's last acknowledged put: a later write may reuse the context it returned. */
  private record Chain(Key key, VectorClock context, Dot dot) {}

  /** A write made with the context the client's previous put returned, without reading first. */
  private void chainedWrite(int client, String id, Chain chain) {
    Set<Dot> read = chain.dot() == null ? Set.of() : Set.of(chain.dot());
    History.Write w = history.begin(id, chain.key(), false, chain.context(), read);
    send(client, w, chain.key(), false, ContextCodec.encode(chain.context()));
  }

  private void write(int client, String id, Key key, boolean delete, Context context,
      VectorClock clock, Siblings read) {
    History.Write w = history.begin(id, key, delete, clock, read);
    send(client, w, key, delete, context);
  }

  private void send(int client, History.Write w, Key key, boolean delete, Context context) {
    String id = w.id;
    var store = cluster.node(anyLiveNode()).store();
    var f = delete ? store.delete(key, context) : store.put(key, context, Bytes.utf8(id));
    bounded(f).whenComplete((after, e) -> {
      if (e == null) {
        VectorClock returned = ContextCodec.decode(after.context());
        history.acknowledged(w, returned);
        chains.put(client, delete ? null : new Chain(key, returned, w.dot()));
        acked++;
      } else {
        history.failed(w);
        failedWrites++;
      }
      done(client);
    });
  }

  /**
   * The client's own bound on a request, as a real client's socket timeout: a node that dies
   * while coordinating never answers, and then the outcome is unknown (a write may or may not
   * have been stored).
   */
  private <T> CompletableFuture<T> bounded(CompletableFuture<T> f) {
    CompletableFuture<T> out = new CompletableFuture<>();
    var timer = cluster.scheduler().schedule(config.requestTimeout().multipliedBy(4),
        () -> out.completeExceptionally(new java.util.concurrent.TimeoutException(
            "no answer: the node the client asked may have died")));
    f.whenComplete((v, e) -> {
      timer.cancel();
      if (e != null) {
        out.completeExceptionally(e);
      } else {
        out.complete(v);
      }
    });
    return out;
  }

  private void done(int client) {
    finished++;
    cluster.scheduler().schedule(Duration.ofMillis(random.nextInt(30)), () -> nextOperation(client));
  }

  // ------------------------------------------------------------- faults

  private void fault() {
    if (clientsDone) {
      return;
    }
    List<NodeId> ids = cluster.ids();
    List<NodeId> down = ids.stream().filter(cluster::isCrashed).toList();
    int dice = random.nextInt(100);
    if (config.crashes() && dice < 30 && down.size() < 2) {
      cluster.crash(ids.get(random.nextInt(ids.size())));
      crashes++;
    } else if (config.crashes() && dice < 60 && !down.isEmpty()) {
      boolean loseHints = random.nextDouble() < config.hintLoss();
      for (Hint h : cluster.restart(down.get(random.nextInt(down.size())), false, loseHints)) {
        lost(h.key(), h.versions());
      }
    } else if (config.partitions() && dice < 80) {
      Set<NodeId> side = ids.stream().filter(n -> random.nextBoolean()).collect(Collectors.toSet());
      cluster.network().partition(side);
      partitions++;
    } else {
      cluster.network().heal();
    }
    cluster.scheduler().schedule(Duration.ofMillis(100 + random.nextInt(700)), this::fault);
  }

  private void heal() {
    cluster.network().heal();
    for (NodeId n : cluster.ids()) {
      if (cluster.isCrashed(n)) {
        cluster.restart(n, false);
      }
    }
    cluster.network().setFaults(Faults.NONE);
    cluster.runUntilIdle();
  }

  /** Reads every key at R=N twice (repair, then reaping settles) and checks the replicas agree. */
  private Map<Key, Siblings> converge(List<String> violations) {
    for (int round = 0; round < 2; round++) {
      for (Key key : keys) {
        NodeId coordinator = cluster.replicas(key, 3).get(0);
        cluster.join(cluster.node(coordinator).readSiblings(key, RequestOptions.DEFAULT.withR(3)));
        cluster.runUntilIdle();
      }
    }
    Map<Key, Siblings> fin = new LinkedHashMap<>();
    for (Key key : keys) {
      List<NodeId> replicas = cluster.replicas(key, 3);
      Map<NodeId, Siblings> held = cluster.holdings(key);
      Siblings first = held.get(replicas.get(0));
      fin.put(key, first);
      for (NodeId n : cluster.ids()) {
        Siblings s = held.get(n);
        if (replicas.contains(n) && !s.equals(first)) {
          violations.add(key + ": replicas did not converge: " + held);
          break;
        }
        if (!replicas.contains(n) && !s.isEmpty()) {
          violations.add(key + ": " + n + " is not a replica but holds " + s);
        }
      }
    }
    return fin;
  }
}
