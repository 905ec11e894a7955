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
import io.ringkv.replication.AntiEntropySettings;
import io.ringkv.replication.AntiEntropyStats;
import io.ringkv.replication.HandoffSettings;
import io.ringkv.replication.ReplicationListener;
import io.ringkv.replication.ReplicationSettings;
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
 * sloppy quorum with hinted handoff, Merkle anti-entropy every second, paced) in one thread,
 * several clients doing read-modify-writes, blind puts, deletes and reads on a few hot keys and
 * many cold ones while the network loses, duplicates and delays messages and nodes crash (owners
 * and hint holders alike), restart (sometimes with their hint store or their whole engine wiped)
 * and get partitioned. Meanwhile the membership changes, one ring change at a time: fresh nodes
 * join, nodes leave (each is stopped once it has handed everything off) and crashed nodes are
 * removed for good, the ring never below three nodes.
 *
 * <p>After healing it lets hinted handoff, anti-entropy and partition handoff run, without any
 * client read (so read repair cannot be what converges the replicas), and then checks the engines
 * directly, against the ring in effect then: no ring change is left in progress and every node
 * that left was stopped; no hint is left; every key is held by exactly its primaries, all with
 * the same sibling set, and by no other node (nodes that left included); no tombstone is left
 * (anti-entropy reaped them all); and, by history, no acknowledged write is lost (but those whose
 * every copy the test itself wiped, or a removed node took with it), no value is one nobody
 * wrote, and no deleted value came back after its tombstone was reaped. It checks once more a few
 * rounds later (nothing still in flight undid it) and after reading every key at R=N (reads see
 * what the engines hold).
 */
public final class Simulation {

  /**
   * How big a run is. The {@code coldKeys} are each written once before the clients start (and
   * a quarter of the clients' operations go to them): the bulk a wiped replica must be refilled
   * with. {@code hintLoss} and {@code dataLoss} are the chances that a restart wipes the node's
   * hint store or its engine; the first restart of a run always wipes the engine and the second
   * the hint store, so every run has both. With {@code ringChanges}, the membership changes
   * during the client phase (see {@link #CHANGE_GAP}): every run has a leave and a join, and
   * some the removal of a crashed node (see {@link #changeMembership}); each node learns of a
   * change and of the switch up to {@code membershipLag} late (half the request timeout here:
   * within what the transfer settle allows for).
   */
  public record Config(int nodes, int keys, int coldKeys, int clients, int operations,
      Faults faults, boolean crashes, boolean partitions, Duration requestTimeout,
      double hintLoss, double dataLoss, boolean ringChanges, Duration membershipLag) {
    public static Config standard() {
      return new Config(5, 8, 256, 4, 1000, new Faults(0.05, 0.02, 1, 20), true, true,
          Duration.ofMillis(300), 0.1, 0.1, true, Duration.ofMillis(150));
    }

    public Config withOperations(int ops) {
      return new Config(nodes, keys, coldKeys, clients, ops, faults, crashes, partitions,
          requestTimeout, hintLoss, dataLoss, ringChanges, membershipLag);
    }

    public Config withRingChanges(boolean on) {
      return new Config(nodes, keys, coldKeys, clients, operations, faults, crashes, partitions,
          requestTimeout, hintLoss, dataLoss, on, membershipLag);
    }

    /** Each node learns a ring change and a ring switch up to this late (see SimCluster). */
    public Config withMembershipLag(Duration lag) {
      return new Config(nodes, keys, coldKeys, clients, operations, faults, crashes, partitions,
          requestTimeout, hintLoss, dataLoss, ringChanges, lag);
    }
  }

  /** Hints live 20 s here. */
  static final HandoffSettings HANDOFF = HandoffSettings.DEFAULTS
      .withMaxHintAge(Duration.ofSeconds(20));
  /**
   * A round every second (a run's client phase is about a minute of simulated time), paced at
   * 200 keys/s and 4 KiB/s so a wiped replica is refilled over several paced batches.
   */
  static final AntiEntropySettings ANTI_ENTROPY = AntiEntropySettings.DEFAULTS
      .withInterval(Duration.ofSeconds(1)).withRate(200, 4096).withReapTombstones(true);
  /** How long the clients may take at most (simulated), so a stuck run ends. */
  static final Duration CLIENT_LIMIT = Duration.ofMinutes(30);
  /** How long healing may take before the cluster must be converged. */
  static final Duration SETTLE_LIMIT = Duration.ofSeconds(60);
  /**
   * The least time between two engine wipes: about what refilling one takes under the faults
   * (more wipes sooner destroy every copy of many keys, which only weakens the check).
   */
  static final Duration WIPE_GAP = Duration.ofSeconds(10);
  /** Converged must still hold this much later: nothing in flight undoes it. */
  static final Duration STABLE = Duration.ofSeconds(5);
  /**
   * The time between two membership decisions in the client phase, at least and at most (the
   * first comes that soon after the clients start); one that finds a change still in progress
   * waits a second more. Under the faults a change takes from seconds to most of a minute: each
   * partition a node gains moves only once all its current replicas answer in one attempt.
   */
  static final Duration[] CHANGE_GAP = {Duration.ofMillis(500), Duration.ofSeconds(3)};
  /**
   * How long the clients go on at least after the run has had both a leave and a join proposed:
   * so that the later one too moves partitions under the clients' writes and the network's faults.
   */
  static final Duration UNDER_LOAD = Duration.ofSeconds(10);
  /** The ring never has fewer nodes than this (N), nor more than {@link #MAX_RING}. */
  static final int MIN_RING = 3;
  static final int MAX_RING = 7;

  /** Anti-entropy counters summed over every node and every life of it. */
  public record Repairs(long rounds, long exchanges, long failedExchanges, long keysRepaired,
      long bytesRepaired, long tombstonesReaped) {
    static final Repairs NONE = new Repairs(0, 0, 0, 0, 0, 0);

    Repairs plus(AntiEntropyStats s) {
      return new Repairs(rounds + s.rounds(), exchanges + s.exchanges(),
          failedExchanges + s.failedExchanges(), keysRepaired + s.keysRepaired(),
          bytesRepaired + s.bytesRepaired(), tombstonesReaped + s.tombstonesReaped());
    }

    @Override
    public String toString() {
      return rounds + " anti-entropy rounds, " + exchanges + " exchanges (" + failedExchanges
          + " failed), " + keysRepaired + " keys repaired (" + bytesRepaired + " bytes), "
          + tombstonesReaped + " tombstones reaped";
    }
  }

  /** The membership changes of a run, and what membership did, in order. */
  public record Changes(int joins, int leaves, int removals, int switches, long handoffRemovals,
      List<String> events) {
    @Override
    public String toString() {
      return joins + " joins, " + leaves + " leaves, " + removals + " removals, " + switches
          + " ring switches, " + handoffRemovals + " copies removed after handoff";
    }
  }

  /** What a run did and found. */
  public record Result(long seed, int operations, int acknowledgedWrites, int failedWrites,
      int crashes, int restarts, int dataWipes, int hintWipes, int partitions,
      long simulatedMillis, long settleMillis, List<String> violations, String network,
      long hintsHandedOff, Repairs repairs, int writesDestroyed, Changes changes) {
    public boolean ok() {
      return violations.isEmpty();
    }

    public String summary() {
      return "seed " + seed + ": " + operations + " ops, " + acknowledgedWrites + " writes acked, "
          + failedWrites + " failed, " + crashes + " crashes, " + restarts + " restarts ("
          + dataWipes + " lost their data, " + hintWipes + " their hints), " + partitions
          + " partitions, " + changes + ", " + simulatedMillis + " ms simulated, converged "
          + settleMillis + " ms after healing, " + network + ", " + hintsHandedOff
          + " hints handed off, " + repairs + ", " + writesDestroyed
          + " acked writes destroyed by wipes or removals"
          + (ok() ? "" : "\n  " + String.join("\n  ", violations)
              + "\n  membership:\n    " + String.join("\n    ", changes.events()));
    }
  }

  private final long seed;
  private final Config config;
  private final Random random;
  private final History history = new History();
  private final SimCluster cluster;
  private final List<Key> keys = new ArrayList<>();
  private final List<Key> hot = new ArrayList<>();
  /** Ids of acknowledged writes whose every copy a wipe (or a hint dropped) destroyed. */
  private final Set<String> destroyed = new HashSet<>();
  private final Map<Integer, Chain> chains = new HashMap<>();
  private Repairs repairs = Repairs.NONE;
  private long handedOff;
  private int running;
  private int started;
  private int finished;
  private int acked;
  private int failedWrites;
  private int crashes;
  private int restarts;
  private int dataWipes;
  private int hintWipes;
  private int partitions;
  private int joins;
  private int leaves;
  private int removals;
  private long lastProposal;
  private boolean clientsDone;
  private long lastDataWipe = Long.MIN_VALUE / 2;

  private Simulation(long seed, Config config) {
    this.seed = seed;
    this.config = config;
    this.random = new Random(seed);
    this.cluster = SimCluster.builder().nodes(config.nodes()).partitions(16).seed(seed)
        .quorum(new QuorumSpec(3, 2, 2))
        .settings(ReplicationSettings.DEFAULTS.withRequestTimeout(config.requestTimeout()))
        .handoff(HANDOFF)
        .membershipLag(config.membershipLag())
        .antiEntropy(ANTI_ENTROPY)
        .listener(new Tracker())
        .onReap(history::reaped).build();
    for (int i = 0; i < config.keys(); i++) {
      hot.add(Key.of("sim", "k" + i));
    }
    keys.addAll(hot);
    for (int i = 0; i < config.coldKeys(); i++) {
      keys.add(Key.of("sim", "cold" + i));
    }
  }

  public static Result run(long seed, Config config) {
    return new Simulation(seed, config).execute();
  }

  private Result execute() {
    ManualScheduler scheduler = cluster.scheduler();
    long begin = scheduler.now();
    preload();
    cluster.network().setFaults(config.faults());
    running = config.clients();
    for (int c = 0; c < config.clients(); c++) {
      int client = c;
      scheduler.schedule(Duration.ofMillis(random.nextInt(20)), () -> nextOperation(client));
    }
    if (config.crashes() || config.partitions()) {
      scheduler.schedule(Duration.ofMillis(100 + random.nextInt(400)), this::fault);
    }
    if (config.ringChanges()) {
      scheduler.schedule(changeGap(), this::changeMembership);
    }
    // Not runUntilIdle: the nodes' anti-entropy rounds keep timers queued all the time.
    long deadline = begin + CLIENT_LIMIT.toMillis();
    while (running > 0 && scheduler.now() < deadline && scheduler.step()) {
      // the clients' operations, and everything the cluster does meanwhile
    }
    List<String> violations = new ArrayList<>();
    if (finished != started || running > 0) {
      violations.add((started - finished) + " operations never completed, " + running
          + " clients still running after " + CLIENT_LIMIT);
    }
    heal();
    long healed = scheduler.now();
    List<String> unconverged = unconverged();
    while (!unconverged.isEmpty() && scheduler.now() - healed < SETTLE_LIMIT.toMillis()) {
      cluster.advance(Duration.ofSeconds(1));
      unconverged = unconverged();
    }
    long settle = scheduler.now() - healed;
    if (!unconverged.isEmpty()) {
      violations.add("not converged " + SETTLE_LIMIT + " after healing, without a read:");
      violations.addAll(firstFew(unconverged));
    } else {
      cluster.advance(STABLE);
      for (String u : firstFew(unconverged())) {
        violations.add(STABLE + " after converging: " + u);
      }
    }
    Map<Key, Siblings> fin = held();
    violations.addAll(cluster.handoffLosses());
    violations.addAll(HistoryChecker.check(history, fin, destroyed));
    readEverything(fin, violations);
    for (NodeId n : cluster.ids()) {
      repairs = repairs.plus(cluster.node(n).antiEntropyStats());
    }
    for (AntiEntropyStats s : cluster.stoppedStats()) {
      repairs = repairs.plus(s);
    }
    Changes changes = new Changes(joins, leaves, removals, cluster.switches(),
        cluster.handoffRemovals(), cluster.events());
    return new Result(seed, finished, acked, failedWrites, crashes, restarts, dataWipes,
        hintWipes, partitions, scheduler.now() - begin, settle, violations,
        cluster.network().stats(), handedOff, repairs, destroyed.size(), changes);
  }

  /** Counts the hints handed off, and accounts for the versions of the hints dropped. */
  private final class Tracker implements ReplicationListener {
    @Override
    public void hintDropped(NodeId target, Key key, Siblings versions, String reason) {
      // Judged once the store has let go of the hint (it does right after telling us).
      cluster.scheduler().schedule(Duration.ZERO,
          () -> destroyed(key, writesOf(key), List.of(versions), copies(key, null, false, false)));
    }

    @Override
    public void hintHandedOff(NodeId target, Key key) {
      handedOff++;
    }
  }

  // ------------------------------------------------------------- checks

  /**
   * What keeps the cluster from being converged, judged from membership, the engines and hint
   * stores alone: a ring change in progress, a node that left the ring but was not stopped yet,
   * hints left, a key whose primaries (in the ring in effect) hold different sets, a non-primary
   * (a node that left included) holding a key, a key holding only tombstones (anti-entropy reaps
   * those once every primary has them).
   */
  private List<String> unconverged() {
    List<String> out = new ArrayList<>();
    cluster.change().ifPresent(c -> out.add("ring change to version " + c.version() + " "
        + c.next().nodes() + " still in progress; ready: " + cluster.ready()));
    for (NodeId n : cluster.leaving()) {
      if (!cluster.ring().contains(n)) {
        out.add(n + " left the ring " + cluster.ring().nodes() + " but is not stopped: it holds "
            + cluster.node(n).engine().keyCount() + " keys and hints for "
            + cluster.node(n).hintBacklogs().keySet()
            + (cluster.isCrashed(n) ? " (crashed)" : ""));
      }
    }
    long hints = cluster.hintsHeld();
    if (hints > 0) {
      List<String> which = new ArrayList<>();
      for (Key key : keys) {
        if (!cluster.hints(key).isEmpty()) {
          which.add(key + "=" + cluster.hints(key));
        }
      }
      out.add(hints + " hints left: " + which);
    }
    for (Key key : keys) {
      List<NodeId> primaries = cluster.replicas(key, 3);
      Map<NodeId, Siblings> held = cluster.holdings(key);
      // A removed node is still a primary until its removal is in effect, without an engine.
      Siblings first = held.getOrDefault(primaries.get(0), Siblings.empty());
      for (NodeId p : primaries) {
        if (!held.getOrDefault(p, Siblings.empty()).equals(first)) {
          out.add(key + ": its primaries " + primaries + " hold different sets: " + held);
          break;
        }
      }
      for (Map.Entry<NodeId, Siblings> e : held.entrySet()) {
        if (!primaries.contains(e.getKey()) && !e.getValue().isEmpty()) {
          out.add(key + ": " + e.getKey() + " is not a primary " + primaries + " but holds "
              + e.getValue());
        }
      }
      if (first.isDeleted()) {
        out.add(key + ": tombstones not reaped: " + held);
      }
    }
    return out;
  }

  /** The first ten problems, and how many more there are. */
  private static List<String> firstFew(List<String> problems) {
    if (problems.size() <= 10) {
      return problems;
    }
    List<String> out = new ArrayList<>(problems.subList(0, 10));
    out.add("... and " + (problems.size() - 10) + " more");
    return out;
  }

  /** Every key as its first primary's engine holds it. */
  private Map<Key, Siblings> held() {
    Map<Key, Siblings> fin = new LinkedHashMap<>();
    for (Key key : keys) {
      fin.put(key, cluster.holdings(key).getOrDefault(cluster.replicas(key, 3).get(0),
          Siblings.empty()));
    }
    return fin;
  }

  /** Reads every key at R=N: each read returns what the engines hold, and repairs nothing. */
  private void readEverything(Map<Key, Siblings> fin, List<String> violations) {
    for (Key key : keys) {
      NodeId coordinator = cluster.replicas(key, 3).get(0);
      Siblings read = cluster.join(cluster.node(coordinator)
          .readSiblings(key, RequestOptions.DEFAULT.withR(3)));
      if (!read.equals(fin.get(key))) {
        violations.add(key + ": a read at R=N returned " + read + " but the engines hold "
            + fin.get(key));
      }
    }
    cluster.advance(Duration.ofSeconds(1));
    Map<Key, Siblings> after = held();
    for (Key key : keys) {
      if (!after.get(key).equals(fin.get(key))) {
        violations.add(key + ": reading the converged cluster changed it from " + fin.get(key)
            + " to " + after.get(key));
      }
    }
  }

  // ------------------------------------------------------------- clients

  /** Writes every cold key once, blind, before any fault: each write is judged like the rest. */
  private void preload() {
    List<CompletableFuture<?>> writes = new ArrayList<>();
    for (Key key : keys.subList(hot.size(), keys.size())) {
      History.Write w = history.begin("preload-" + key.key(), key, false, VectorClock.empty(),
          Siblings.empty());
      writes.add(bounded(cluster.node(anyLiveNode()).store()
          .put(key, Context.EMPTY, Bytes.utf8(w.id))).whenComplete((after, e) -> {
            if (e == null) {
              history.acknowledged(w, ContextCodec.decode(after.context()));
              acked++;
            } else {
              history.failed(w);
              failedWrites++;
            }
          }));
    }
    cluster.join(CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
        .exceptionally(e -> null));
  }

  private NodeId anyLiveNode() {
    List<NodeId> up = cluster.ids().stream().filter(n -> !cluster.isCrashed(n)).toList();
    return up.get(random.nextInt(up.size()));
  }

  /** A hot key three times in four, else a cold one. */
  private Key anyKey() {
    if (hot.size() == keys.size() || random.nextInt(4) > 0) {
      return hot.get(random.nextInt(hot.size()));
    }
    return keys.get(hot.size() + random.nextInt(keys.size() - hot.size()));
  }

  private void nextOperation(int client) {
    if (started >= config.operations() && !changesPending()) {
      clientsDone = true;
      running--;
      return;
    }
    int op = started++;
    String id = "c" + client + "-" + op;
    Key key = anyKey();
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

  /**
   * Whether the clients must go on past their operations for the membership: until the run has
   * had a leave and a join, the later one proposed {@link #UNDER_LOAD} before or longer. Nodes
   * crash no more meanwhile (they still restart, and the network still fails).
   */
  private boolean changesPending() {
    return config.ringChanges() && (joins == 0 || leaves == 0
        || cluster.scheduler().now() - lastProposal < UNDER_LOAD.toMillis());
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
    cluster.scheduler().schedule(Duration.ofMillis(random.nextInt(30)),
        () -> nextOperation(client));
  }

  // ------------------------------------------------------------- membership

  private Duration changeGap() {
    long min = CHANGE_GAP[0].toMillis();
    return Duration.ofMillis(min + random.nextInt((int) (CHANGE_GAP[1].toMillis() - min) + 1));
  }

  /**
   * One membership decision: while a change is in progress, wait; else the first change is a
   * leave (the quicker kind: the nodes that gain pull in parallel) or, two times in five when a
   * node of the ring is down, the removal of that node; the second is a join; the third a leave
   * if there was none yet; later ones remove a crashed node (as often) or have a node join or
   * leave at random, the ring kept within {@link #MIN_RING} and {@link #MAX_RING} nodes.
   */
  private void changeMembership() {
    if (clientsDone) {
      return;
    }
    if (cluster.changing()) {
      cluster.scheduler().schedule(Duration.ofSeconds(1), this::changeMembership);
      return;
    }
    List<NodeId> ring = List.copyOf(cluster.ring().nodes());
    List<NodeId> crashed = ring.stream().filter(cluster::isCrashed).toList();
    int made = joins + leaves + removals;
    boolean pending = joins == 0 || leaves == 0;
    int dice = random.nextInt(100);
    if (made == 1 || made > 1 && ring.size() <= MIN_RING) {
      cluster.join();
      joins++;
    } else if (made > 1 && leaves == 0) {
      leave(ring);
    } else if (!crashed.isEmpty() && dice < 40) {
      removeForGood(crashed.get(random.nextInt(crashed.size())));
    } else if (made == 0 || ring.size() >= MAX_RING || dice < 70) {
      leave(ring);
    } else {
      cluster.join();
      joins++;
    }
    if (pending) {
      lastProposal = cluster.scheduler().now();
    }
    cluster.scheduler().schedule(changeGap(), this::changeMembership);
  }

  private void leave(List<NodeId> ring) {
    cluster.leave(ring.get(random.nextInt(ring.size())));
    leaves++;
  }

  /**
   * Removes a crashed node from the cluster for good; first notes the acknowledged writes of
   * which its engine or hints held the last copy (nothing can bring those back).
   */
  private void removeForGood(NodeId node) {
    noteDestroyed(node, true, true);
    repairs = repairs.plus(cluster.node(node).antiEntropyStats());
    cluster.remove(node);
    removals++;
  }

  // ------------------------------------------------------------- faults

  private void fault() {
    if (clientsDone) {
      return;
    }
    List<NodeId> ids = cluster.ids();
    List<NodeId> down = ids.stream().filter(cluster::isCrashed).toList();
    int dice = random.nextInt(100);
    // Past their operations the clients wait for a ring change: no new crash then, or the
    // change could take minutes (each node must pull all it gains within one life).
    boolean tail = started >= config.operations();
    if (config.crashes() && dice < 30 && down.size() < 2 && !tail) {
      cluster.crash(ids.get(random.nextInt(ids.size())));
      crashes++;
    } else if (config.crashes() && dice < 60 && !down.isEmpty()) {
      NodeId node = down.get(random.nextInt(down.size()));
      boolean wipe = random.nextDouble() < config.dataLoss();
      boolean loseData = restarts == 0 || wipe && cluster.scheduler().now() - lastDataWipe
          >= WIPE_GAP.toMillis();
      boolean loseHints = restarts == 1 || random.nextDouble() < config.hintLoss();
      restart(node, loseData, loseHints);
    } else if (config.partitions() && dice < 80) {
      Set<NodeId> side = ids.stream().filter(n -> random.nextBoolean())
          .collect(Collectors.toSet());
      cluster.network().partition(side);
      partitions++;
    } else {
      cluster.network().heal();
    }
    cluster.scheduler().schedule(Duration.ofMillis(100 + random.nextInt(700)), this::fault);
  }

  /**
   * Restarts a crashed node, maybe with its engine or hint store wiped; first notes the
   * acknowledged writes of which the wiped stores held the last copy (nothing can bring those
   * back) and the anti-entropy counters of the life that ends.
   */
  private void restart(NodeId node, boolean loseData, boolean loseHints) {
    if (loseData || loseHints) {
      noteDestroyed(node, loseData, loseHints);
    }
    repairs = repairs.plus(cluster.node(node).antiEntropyStats());
    cluster.restart(node, loseData, loseHints);
    restarts++;
    if (loseData) {
      dataWipes++;
      lastDataWipe = cluster.scheduler().now();
    }
    hintWipes += loseHints ? 1 : 0;
  }

  /** Notes the acknowledged writes whose last copies are in the node's engine and/or hints. */
  private void noteDestroyed(NodeId node, boolean loseData, boolean loseHints) {
    Map<Key, List<History.Write>> writes = new HashMap<>();
    for (History.Write w : history.writes()) {
      writes.computeIfAbsent(w.key, k -> new ArrayList<>()).add(w);
    }
    for (Key key : keys) {
      List<Siblings> before = copies(key, null, false, false);
      List<Siblings> after = copies(key, node, loseData, loseHints);
      if (after.size() < before.size()) {
        destroyed(key, writes.getOrDefault(key, List.of()), before, after);
      }
    }
  }

  /**
   * Every set the cluster holds for the key (engines and hints, crashed nodes included), but the
   * engine and/or hints of {@code except}.
   */
  private List<Siblings> copies(Key key, NodeId except, boolean noEngine, boolean noHints) {
    List<Siblings> sets = new ArrayList<>();
    cluster.holdings(key).forEach((n, s) -> {
      if (!(noEngine && n.equals(except)) && !s.isEmpty()) {
        sets.add(s);
      }
    });
    cluster.hints(key).forEach((n, perTarget) -> {
      if (!(noHints && n.equals(except))) {
        sets.addAll(perTarget.values());
      }
    });
    return sets;
  }

  private List<History.Write> writesOf(Key key) {
    return history.writes().stream().filter(w -> w.key.equals(key)).toList();
  }

  /** Notes the acknowledged writes that {@code before} knew of and {@code after} not. */
  private void destroyed(Key key, List<History.Write> writes, List<Siblings> before,
      List<Siblings> after) {
    for (History.Write w : writes) {
      if (w.acknowledged() && !destroyed.contains(w.id)) {
        Set<Dot> dots = dotsOf(w, before);
        if (knows(before, w, dots) && !knows(after, w, dots)) {
          destroyed.add(w.id);
        }
      }
    }
  }

  /**
   * The dots the write may have: those the history knows ({@link History#dotsOf}), and for a
   * delete whose dot the store did not hand back, those of the tombstones in {@code sets} made
   * with its context.
   */
  private Set<Dot> dotsOf(History.Write w, List<Siblings> sets) {
    Set<Dot> out = new HashSet<>(history.dotsOf(w));
    if (w.delete && w.dot() == null) {
      for (Siblings s : sets) {
        for (Versioned<Bytes> v : s.versions()) {
          if (v.tombstone() && v.context().equals(w.context)) {
            out.add(v.dot());
          }
        }
      }
    }
    return out;
  }

  /** Whether some set holds the write's version, or one that superseded it. */
  private static boolean knows(List<Siblings> sets, History.Write w, Set<Dot> dots) {
    for (Siblings s : sets) {
      for (Versioned<Bytes> v : s.versions()) {
        for (Dot dot : dots) {
          if (v.dot().equals(dot) || v.context().covers(dot)) {
            return true;
          }
        }
        if (!w.delete && !v.tombstone() && v.value().toUtf8().equals(w.id)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Ends the faults: the network heals and every crashed node comes back with its disks. */
  private void heal() {
    cluster.network().heal();
    for (NodeId n : cluster.ids()) {
      if (cluster.isCrashed(n)) {
        repairs = repairs.plus(cluster.node(n).antiEntropyStats());
        cluster.restart(n, false);
      }
    }
    cluster.network().setFaults(Faults.NONE);
  }
}
