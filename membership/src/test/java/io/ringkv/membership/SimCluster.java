package io.ringkv.membership;

import io.ringkv.testkit.ManualScheduler;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import io.ringkv.ring.Ring;
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
 * Nodes in one JVM over an in-process {@link GossipTransport}: one manual ticker and clock, seeded
 * randomness, and faults (a silent node, a network split). Exchanges are synchronous.
 */
final class SimCluster {
  static final Duration ROUND = Duration.ofSeconds(1);

  final ManualScheduler ticker = new ManualScheduler();
  final int partitions;
  private final Random random;
  private final Map<String, Membership> nodes = new LinkedHashMap<>();
  private final Map<HostPort, String> byAddress = new HashMap<>();
  private final Set<String> unreachable = new HashSet<>();
  private final Map<String, Integer> side = new HashMap<>();
  private int exchanges;

  private final Duration interval;
  private final java.util.function.Supplier<PhiAccrualFailureDetector> detector;

  SimCluster(long seed, int partitions) {
    this(seed, partitions, ROUND, PhiAccrualFailureDetector::withDefaults);
  }

  /** Nodes gossiping every {@code interval}, each with a detector from {@code detector}. */
  SimCluster(long seed, int partitions, Duration interval,
      java.util.function.Supplier<PhiAccrualFailureDetector> detector) {
    this.random = new Random(seed);
    this.partitions = partitions;
    this.interval = interval;
    this.detector = detector;
  }

  static HostPort address(String name) {
    return new HostPort("10.0.0." + Integer.parseInt(name.substring(1)), 7000);
  }

  static Member member(String name, long incarnation) {
    return Member.joining(NodeId.of(name), address(name), 8098, incarnation);
  }

  /** Creates and starts a node that lists the named nodes as seeds. */
  Membership start(String name, String... seeds) {
    return start(name, ClusterState.empty(), 1, seeds);
  }

  Membership start(String name, ClusterState initial, long incarnation, String... seeds) {
    Membership m = build(name, initial, incarnation, seeds);
    m.start();
    return m;
  }

  /** A node built and reachable but not started: it answers gossip and sends none yet. */
  Membership build(String name, ClusterState initial, long incarnation, String... seeds) {
    Membership m = Membership.builder()
        .self(member(name, incarnation))
        .seeds(List.of(seeds).stream().map(SimCluster::address).collect(Collectors.toList()))
        .transport(transportFrom(name))
        .clock(ticker.clock())
        .scheduler(ticker)
        .partitions(partitions)
        .gossipInterval(interval)
        .failureDetector(detector.get())
        .random(new Random(random.nextLong()))
        .initialState(initial)
        .build();
    nodes.put(name, m);
    byAddress.put(address(name), name);
    unreachable.remove(name);
    return m;
  }

  Membership node(String name) {
    return nodes.get(name);
  }

  /** A node that neither sends nor receives: crashed or cut off. */
  void silence(String name) {
    unreachable.add(name);
  }

  void restore(String name) {
    unreachable.remove(name);
  }

  /** Stops a node for good: it stops gossiping and cannot be reached. */
  void stop(String name) {
    nodes.get(name).close();
    unreachable.add(name);
  }

  /** Splits the network: the named nodes on one side, all others on the other. */
  void split(String... oneSide) {
    side.clear();
    for (String n : oneSide) {
      side.put(n, 1);
    }
  }

  void heal() {
    side.clear();
  }

  void run(Duration d) {
    ticker.advance(d);
  }

  void rounds(int n) {
    for (int i = 0; i < n; i++) {
      ticker.advance(interval);
    }
  }

  int exchanges() {
    return exchanges;
  }

  /** The running, reachable nodes. */
  List<Membership> live() {
    List<Membership> live = new ArrayList<>();
    nodes.forEach((name, m) -> {
      if (!unreachable.contains(name)) {
        live.add(m);
      }
    });
    return live;
  }

  /**
   * Runs whole rounds until every reachable node holds the same members (with the same statuses
   * and incarnations) and the same ring; returns how many rounds that took.
   */
  int roundsToConverge(int max) {
    for (int round = 0; round <= max; round++) {
      if (agree(live())) {
        return round;
      }
      rounds(1);
    }
    throw new AssertionError("no agreement after " + max + " rounds: " + live().stream()
        .map(m -> m.self() + "=" + m.current()).collect(Collectors.joining("\n  ", "\n  ", "")));
  }

  static boolean agree(List<Membership> group) {
    ClusterState first = group.get(0).current();
    for (Membership m : group) {
      ClusterState s = m.current();
      if (s.ringOwners().isEmpty() || !s.sameExceptHeartbeats(first)) {
        return false;
      }
    }
    return true;
  }

  /** Each node owns floor(Q/S) or ceil(Q/S) partitions: Ring.create's balance rule. */
  static void assertBalanced(Ring ring) {
    int q = ring.partitions();
    int s = ring.nodes().size();
    assertThat(ring.ownershipCounts().values())
        .allSatisfy(c -> assertThat(c).isBetween(q / s, (q + s - 1) / s));
  }

  private GossipTransport transportFrom(String from) {
    return (peer, mine) -> {
      String to = byAddress.get(peer.address());
      if (to == null || unreachable.contains(from) || unreachable.contains(to)
          || !side.getOrDefault(from, 0).equals(side.getOrDefault(to, 0))) {
        return CompletableFuture.failedFuture(new RingkvException(ErrorCode.UNAVAILABLE,
            from + " cannot reach " + peer.address()));
      }
      exchanges++;
      try {
        return CompletableFuture.completedFuture(nodes.get(to).onGossip(mine));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    };
  }
}
