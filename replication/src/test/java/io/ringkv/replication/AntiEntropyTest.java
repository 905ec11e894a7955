package io.ringkv.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.Dot;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.QuorumSpec;
import io.ringkv.api.Resolution;
import io.ringkv.api.Scheduler;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import io.ringkv.replication.api.ReplicaNetwork;
import io.ringkv.replication.api.ReplicaRequest;
import io.ringkv.ring.Ring;
import io.ringkv.storage.spi.StorageEngine;
import io.ringkv.storage.spi.StorageEngines;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Anti-entropy between real nodes (in-memory engines) over the in-process network, run
 * synchronously: what an exchange repairs, what it sends, and when it reaps.
 */
class AntiEntropyTest {
  private static final List<NodeId> IDS = List.of(NodeId.of("a"), NodeId.of("b"), NodeId.of("c"));
  private static final Ring RING = Ring.create(16, IDS);
  /** Timers never fire: every message here is answered at once. */
  private static final Scheduler NEVER = (delay, task) -> () -> { };

  private final LocalNetwork local = new LocalNetwork(Runnable::run);
  private final Map<NodeId, ReplicaNode> nodes = new HashMap<>();
  private final Map<ReplicaRequest.FetchTokens, Integer> fetched = new HashMap<>();
  private final AtomicInteger messages = new AtomicInteger();
  private final AtomicLong now = new AtomicLong(1_800_000_000_000L);
  private final Clock clock = new Clock() {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(now.get());
    }
  };
  private int epoch = 1;
  private Liveness liveness = Liveness.ALL_UP;

  /** Past the time a write in flight at a first sighting may take to land (2 x 1 s timeout). */
  private void letInFlightWritesSettle() {
    now.addAndGet(2_001);
  }

  private ReplicaNode start(NodeId id, StorageEngine engine) {
    ReplicaNetwork counted = local.endpoint(id);
    ReplicaNetwork network = (to, request) -> {
      messages.incrementAndGet();
      if (request instanceof ReplicaRequest.FetchTokens f) {
        fetched.merge(f, f.tokens().size(), Integer::sum);
      }
      return counted.send(to, request);
    };
    ReplicaNode node = ReplicaNode.builder().actor(new Actor(id, epoch++)).engine(engine)
        .ring(() -> RING).network(network).scheduler(NEVER).clock(clock)
        .liveness(peer -> liveness.isUp(peer))
        .policies(BucketPolicies.of(new BucketPolicy(new QuorumSpec(3, 2, 2), "siblings",
            s -> new Resolution.Keep(Siblings.of(s).versions())), Map.of()))
        .settings(ReplicationSettings.DEFAULTS.withRequestTimeout(Duration.ofSeconds(1)))
        .antiEntropy(AntiEntropySettings.DEFAULTS.withEnabled(false).withRate(0, 0))
        .build().start();
    local.register(id, node.handler());
    nodes.put(id, node);
    return node;
  }

  private ReplicaNode start(NodeId id) {
    return start(id, StorageEngines.inMemory(RING::partitionOf));
  }

  private void startAll() {
    IDS.forEach(this::start);
  }

  private ReplicaNode node(String id) {
    return nodes.get(NodeId.of(id));
  }

  private static Versioned<Bytes> version(String node, long counter, String value,
      VectorClock seen, boolean tombstone) {
    return new Versioned<>(Bytes.utf8(value), new Dot(new Actor(NodeId.of(node), 1), counter),
        seen, 1_000 + counter, tombstone);
  }

  private List<Key> putKeys(int count) {
    List<Key> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Key key = Key.of("b", "k" + i);
      node("a").store().put(key, Context.EMPTY, Bytes.utf8("v" + i)).join();
      keys.add(key);
    }
    return keys;
  }

  private void assertConverged(List<Key> keys) {
    for (Key key : keys) {
      Siblings a = node("a").local(key);
      assertThat(node("b").local(key)).as("b holds %s as a does", key).isEqualTo(a);
      assertThat(node("c").local(key)).as("c holds %s as a does", key).isEqualTo(a);
    }
  }

  @Test
  void aReplicaWithAnEmptyDiskIsRefilledWithEveryKeyItOwns() {
    startAll();
    List<Key> keys = putKeys(300);
    start(NodeId.of("c")); // a replaced disk: same node, new epoch, nothing stored
    assertThat(node("c").engine().keyCount()).isZero();

    RoundReport report = node("a").repair(OptionalInt.empty()).join();

    assertThat(report.failed()).isZero();
    assertThat(report.keysRepaired()).isEqualTo(300);
    assertConverged(keys);
    assertThat(node("c").antiEntropyStats().treeEntries()).isEqualTo(300);
  }

  @Test
  void bothSidesEndWithTheReconciledSetAndNothingSupersededThatWasNotSeen() {
    startAll();
    Key key = Key.of("b", "conflict");
    Versioned<Bytes> x = version("a", 1, "x", VectorClock.empty(), false);
    Versioned<Bytes> y = version("b", 1, "y", VectorClock.empty(), false);
    node("a").engine().put(key, Siblings.of(x));
    node("b").engine().put(key, Siblings.of(y));
    // c saw x and wrote over it: its version supersedes x, and only x.
    Versioned<Bytes> z = version("c", 1, "z", VectorClock.empty().with(x.dot(), 1), false);
    node("c").engine().put(key, Siblings.of(z));

    node("a").repair(OptionalInt.empty()).join();
    // The peer a met first gets what a learned from the second in the next round.
    node("a").repair(OptionalInt.empty()).join();

    Siblings expected = Siblings.of(y, z);
    assertThat(node("a").local(key)).isEqualTo(expected);
    assertThat(node("b").local(key)).isEqualTo(expected);
    assertThat(node("c").local(key)).isEqualTo(expected);
  }

  @Test
  void onlyTheKeysThatDifferAreFetched() {
    startAll();
    List<Key> keys = putKeys(500);
    for (int i = 0; i < 3; i++) {
      node("b").engine().put(keys.get(i * 100), Siblings.of(
          version("b", 10 + i, "newer", node("a").local(keys.get(i * 100)).clock(), false)));
    }
    fetched.clear();

    RoundReport report = node("a").repair(OptionalInt.empty()).join();

    // Three tokens from b, then the same three from c (a holds b's newer versions by then).
    assertThat(fetched.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(6);
    assertThat(report.keysRepaired()).isEqualTo(6);
    node("c").repair(OptionalInt.empty()).join();
    assertConverged(keys);
  }

  @Test
  void aScheduledRoundExchangesOnlyWhereThisNodeIsTheFirstPrimaryUp() {
    startAll();
    List<Key> keys = putKeys(200);
    start(NodeId.of("c")); // c lost its disk

    int exchanges = 0;
    for (NodeId id : IDS) {
      exchanges += nodes.get(id).scheduledRound().join().exchanges();
    }

    // One leader per partition exchanging with its two peers, not every node with every peer.
    assertThat(exchanges).isEqualTo(16 * 2);
    assertConverged(keys);
    for (NodeId id : IDS) {
      assertThat(nodes.get(id).exchanges()).allSatisfy(r -> assertThat(
          RING.preferenceList(r.partition(), 3).primaries().get(0)).isEqualTo(id));
    }
  }

  @Test
  void whileTheFirstPrimaryIsDownTheNextOneUpLeads() {
    startAll();
    liveness = node -> !node.equals(NodeId.of("a"));
    List<Key> keys = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      Key key = Key.of("b", "k" + i);
      node("b").store().put(key, Context.EMPTY, Bytes.utf8("v" + i)).join();
      keys.add(key);
    }
    start(NodeId.of("c"));

    node("b").scheduledRound().join();
    node("c").scheduledRound().join();

    for (Key key : keys) {
      assertThat(node("c").local(key)).as("c holds %s as b does", key)
          .isEqualTo(node("b").local(key));
    }
    assertThat(node("b").exchanges()).extracting(ExchangeRecord::peer)
        .containsOnly(NodeId.of("c"));
  }

  @Test
  void treesThatAgreeCostOneMessagePerPeerAndPartition() {
    startAll();
    putKeys(200);
    messages.set(0);

    RoundReport report = node("a").repair(OptionalInt.empty()).join();

    // 16 partitions, each with two peers (every node is a primary of everything here).
    assertThat(report.exchanges()).isEqualTo(32);
    assertThat(messages.get()).isEqualTo(32);
    assertThat(report.keysRepaired()).isZero();
  }

  @Test
  void oneRepairCoversOnePartition() {
    startAll();
    List<Key> keys = putKeys(100);
    start(NodeId.of("b"));
    int partition = RING.partitionOf(keys.get(0));

    RoundReport report = node("a").repair(OptionalInt.of(partition)).join();

    assertThat(report.exchanges()).isEqualTo(2);
    for (Key key : keys) {
      boolean inPartition = RING.partitionOf(key) == partition;
      assertThat(node("b").local(key).isEmpty()).isEqualTo(!inPartition);
    }
    assertThat(node("a").exchanges()).extracting(ExchangeRecord::partition)
        .containsOnly(partition);
  }

  @Test
  void treesAreRebuiltFromWhatTheEngineHoldsAtStart() {
    startAll();
    List<Key> keys = putKeys(50);
    StorageEngine kept = node("c").engine();
    StorageEngine copy = StorageEngines.inMemory(RING::partitionOf);
    for (Key key : keys) {
      copy.put(key, kept.get(key));
    }
    start(NodeId.of("c"), copy); // a restart with its data: the trees come back from storage
    messages.set(0);

    RoundReport report = node("c").repair(OptionalInt.empty()).join();

    assertThat(report.keysRepaired()).isZero();
    assertThat(messages.get()).isEqualTo(32);
  }

  @Test
  void tombstonesHeldByEveryReplicaAreReapedOnceTheyWereSeenThereLongEnoughBefore() {
    startAll();
    Key key = Key.of("b", "gone");
    node("a").store().put(key, Context.EMPTY, Bytes.utf8("v")).join();
    Context context = node("a").store().get(key).join().context();
    node("a").store().delete(key, context).join();
    assertThat(node("b").local(key).isDeleted()).isTrue();

    node("a").repair(OptionalInt.empty()).join();
    assertThat(node("a").local(key).isDeleted()).as("first sighting keeps them").isTrue();
    node("a").repair(OptionalInt.empty()).join();
    assertThat(node("a").local(key).isDeleted())
        .as("a write in flight at the first sighting may still be on its way").isTrue();
    letInFlightWritesSettle();

    RoundReport second = node("a").repair(OptionalInt.empty()).join();

    assertThat(second.reaped()).isEqualTo(1);
    for (ReplicaNode n : nodes.values()) {
      assertThat(n.local(key).isEmpty()).as("reaped on %s", n.id()).isTrue();
    }
    assertThat(node("a").antiEntropyStats().tombstonesReaped()).isEqualTo(1);
  }

  @Test
  void aTombstoneOneReplicaLacksIsRepairedFirstAndReapedOnlyLater() {
    startAll();
    Key key = Key.of("b", "gone");
    Versioned<Bytes> v = version("a", 1, "v", VectorClock.empty(), false);
    Versioned<Bytes> deleted = version("a", 2, "", VectorClock.empty().with(v.dot(), 1), true);
    node("a").engine().put(key, Siblings.of(deleted));
    node("b").engine().put(key, Siblings.of(deleted));
    node("c").engine().put(key, Siblings.of(v)); // missed the delete

    node("a").repair(OptionalInt.empty()).join(); // repairs c
    assertThat(node("c").local(key)).isEqualTo(Siblings.of(deleted));
    node("a").repair(OptionalInt.empty()).join(); // first round that finds them everywhere
    assertThat(node("a").local(key).isDeleted()).isTrue();
    letInFlightWritesSettle();
    node("a").repair(OptionalInt.empty()).join();

    for (ReplicaNode n : nodes.values()) {
      assertThat(n.local(key).isEmpty()).as("reaped on %s", n.id()).isTrue();
    }
  }

  @Test
  void noTombstoneIsReapedWhileAReplicaIsUnreachable() {
    startAll();
    Key key = Key.of("b", "gone");
    Siblings deleted = Siblings.of(version("a", 2, "", VectorClock.empty(), true));
    IDS.forEach(id -> nodes.get(id).engine().put(key, deleted));
    local.disconnect(NodeId.of("c"));

    for (int i = 0; i < 3; i++) {
      node("a").repair(OptionalInt.empty()).join();
      letInFlightWritesSettle();
    }

    assertThat(node("a").local(key)).isEqualTo(deleted);
    assertThat(node("b").local(key)).isEqualTo(deleted);
  }

  @Test
  void noTombstoneIsReapedWhileANodeHoldsAHintForTheKey() {
    startAll();
    Key key = Key.of("b", "gone");
    Siblings deleted = Siblings.of(version("a", 2, "", VectorClock.empty(), true));
    IDS.forEach(id -> nodes.get(id).engine().put(key, deleted));
    // b keeps an older write for c as a hint: reaping now could let it come back.
    node("a").handler().handle(NodeId.of("a"), new ReplicaRequest.StoreHint(key,
        Siblings.of(version("a", 1, "old", VectorClock.empty(), false)), NodeId.of("c")));
    local.endpoint(NodeId.of("a")).send(NodeId.of("b"), new ReplicaRequest.StoreHint(key,
        Siblings.of(version("a", 1, "old", VectorClock.empty(), false)), NodeId.of("c"))).join();

    for (int i = 0; i < 3; i++) {
      node("a").repair(OptionalInt.empty()).join();
      letInFlightWritesSettle();
    }

    assertThat(node("a").local(key)).isEqualTo(deleted);
    assertThat(node("c").local(key)).isEqualTo(deleted);
  }

  @Test
  void aPartitionOutsideTheRingIsRefused() {
    startAll();
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> node("a").repair(OptionalInt.of(16))).hasMessageContaining("partition 16");
  }
}
