package io.ringkv.testkit.sim;

import io.ringkv.testkit.ManualScheduler;
import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.QuorumSpec;
import io.ringkv.api.RequestOptions;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.testkit.history.History;
import io.ringkv.testkit.history.HistoryChecker;
import io.ringkv.versioning.ContextCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The deterministic simulation of DESIGN.md's testing layer 4: a 5-node cluster (N=3, R=2, W=2)
 * in one thread, several clients doing read-modify-writes, blind puts, deletes and reads on a few
 * hot keys while the network loses, duplicates and delays messages and nodes crash, restart and
 * get partitioned. After healing and read repair it checks, by history: no acknowledged write
 * lost, no value nobody wrote, all replicas converged, every operation finished.
 */
public final class Simulation {

  /** How big a run is. */
  public record Config(int nodes, int keys, int clients, int operations, Faults faults,
      boolean crashes, boolean partitions, Duration requestTimeout) {
    public static Config standard() {
      return new Config(5, 8, 4, 1000, new Faults(0.05, 0.02, 1, 20), true, true,
          Duration.ofMillis(300));
    }

    public Config withOperations(int ops) {
      return new Config(nodes, keys, clients, ops, faults, crashes, partitions, requestTimeout);
    }
  }

  /** What a run did and found. */
  public record Result(long seed, int operations, int acknowledgedWrites, int failedWrites,
      int crashes, int partitions, long simulatedMillis, List<String> violations, String network) {
    public boolean ok() {
      return violations.isEmpty();
    }

    public String summary() {
      return "seed " + seed + ": " + operations + " ops, " + acknowledgedWrites + " writes acked, "
          + failedWrites + " failed, " + crashes + " crashes, " + partitions + " partitions, "
          + simulatedMillis + " ms simulated, " + network
          + (ok() ? "" : "\n  " + String.join("\n  ", violations));
    }
  }

  private final long seed;
  private final Config config;
  private final Random random;
  private final History history = new History();
  private final SimCluster cluster;
  private final List<Key> keys = new ArrayList<>();
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
        .quorum(new QuorumSpec(3, 2, 2)).requestTimeout(config.requestTimeout())
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
    Map<Key, Siblings> fin = converge(violations);
    violations.addAll(HistoryChecker.check(history, fin));
    return new Result(seed, finished, acked, failedWrites, crashes, partitions, scheduler.now()
        - 1_700_000_000_000L, violations, cluster.network().stats());
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
    if (dice < 45) {
      readThenWrite(client, id, key, false);
    } else if (dice < 70) {
      write(client, id, key, false, Context.EMPTY, VectorClock.empty(), Siblings.empty());
    } else if (dice < 80) {
      readThenWrite(client, id, key, true);
    } else {
      cluster.node(anyLiveNode()).store().get(key).whenComplete((r, e) -> {
        if (r != null) {
          history.observed(key, Siblings.of(r.siblings()));
        }
        done(client);
      });
    }
  }

  private void readThenWrite(int client, String id, Key key, boolean delete) {
    cluster.node(anyLiveNode()).readSiblings(key, RequestOptions.DEFAULT).whenComplete((s, e) -> {
      if (e != null) {
        done(client);
        return;
      }
      history.observed(key, s);
      VectorClock clock = s.clock();
      write(client, id, key, delete, ContextCodec.encode(clock), clock, s);
    });
  }

  private void write(int client, String id, Key key, boolean delete, Context context,
      VectorClock clock, Siblings read) {
    History.Write w = history.begin(id, key, delete, clock, read);
    var store = cluster.node(anyLiveNode()).store();
    var f = delete ? store.delete(key, context) : store.put(key, context, Bytes.utf8(id));
    f.whenComplete((after, e) -> {
      if (e == null) {
        history.acknowledged(w, ContextCodec.decode(after));
        acked++;
      } else {
        history.failed(w);
        failedWrites++;
      }
      done(client);
    });
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
      cluster.restart(down.get(random.nextInt(down.size())), false);
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
