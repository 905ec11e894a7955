package io.ringkv.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.QuorumSpec;
import io.ringkv.api.Resolution;
import io.ringkv.api.Scheduler;
import io.ringkv.api.Siblings;
import io.ringkv.ring.Ring;
import io.ringkv.storage.spi.StorageEngines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Partition handoff between real nodes over the in-process network, run synchronously: a join,
 * a leave and the removal of a dead node each end with every key held by exactly its new
 * replicas, nothing written during the change lost.
 */
class PartitionTransfersTest {
  private static final Scheduler NEVER = (delay, task) -> () -> { };
  private static final int Q = 16;

  private final LocalNetwork local = new LocalNetwork(Runnable::run);
  private final Map<NodeId, ReplicaNode> nodes = new LinkedHashMap<>();
  private final Map<NodeId, Long> ready = new LinkedHashMap<>();
  private final AtomicReference<Ring> ring = new AtomicReference<>();
  private final AtomicReference<Optional<RingChange>> change =
      new AtomicReference<>(Optional.empty());
  private int epoch = 1;

  private ReplicaNode start(String name) {
    NodeId id = NodeId.of(name);
    ReplicaNode node = ReplicaNode.builder().actor(new Actor(id, epoch++))
        .engine(StorageEngines.inMemory(key -> ring.get().partitionOf(key)))
        .ring(ring::get).ringChange(change::get).partitions(Q)
        .liveness(n -> local.isConnected(n)).network(local.endpoint(id)).scheduler(NEVER)
        .policies(BucketPolicies.of(new BucketPolicy(new QuorumSpec(3, 2, 2), "siblings",
            s -> new Resolution.Keep(Siblings.of(s).versions())), Map.of()))
        .settings(ReplicationSettings.DEFAULTS.withRequestTimeout(Duration.ofSeconds(1)))
        .antiEntropy(AntiEntropySettings.DEFAULTS.withEnabled(false).withRate(0, 0))
        .transferSettle(Duration.ZERO).onReady(v -> ready.put(id, v))
        .build().start();
    local.register(id, node.handler());
    nodes.put(id, node);
    return node;
  }

  private List<Key> write(ReplicaNode via, String prefix, int count) {
    List<Key> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Key key = Key.of("b", prefix + i);
      via.store().put(key, Context.EMPTY, Bytes.utf8(prefix + i)).join();
      keys.add(key);
    }
    return keys;
  }

  /** Steps every live node until each node of the next ring is ready (bounded). */
  private void transferUntilReady(Ring next, long version) {
    for (int round = 0; round < 200; round++) {
      nodes.forEach((id, n) -> {
        if (local.isConnected(id)) {
          n.transferStep();
        }
      });
      if (next.nodes().stream().allMatch(id -> ready.getOrDefault(id, 0L) == version)) {
        return;
      }
    }
    throw new AssertionError("not every node of ring " + version + " got ready: " + ready);
  }

  /** The switch, then steps until nobody holds a partition it does not replicate (bounded). */
  private void switchAndHandOff(Ring next) {
    ring.set(next);
    change.set(Optional.empty());
    for (int round = 0; round < 400; round++) {
      nodes.forEach((id, n) -> {
        if (local.isConnected(id)) {
          n.transferStep();
        }
      });
    }
  }

  private void assertHeldByExactlyTheReplicas(List<Key> keys, Set<NodeId> dead) {
    for (Key key : keys) {
      List<NodeId> replicas = ring.get().preferenceList(key, 3).primaries();
      Siblings first = nodes.get(replicas.get(0)).local(key);
      assertThat(first.live()).as("%s on %s", key, replicas.get(0)).isNotEmpty();
      for (Map.Entry<NodeId, ReplicaNode> e : nodes.entrySet()) {
        if (dead.contains(e.getKey())) {
          continue;
        }
        if (replicas.contains(e.getKey())) {
          assertThat(e.getValue().local(key)).as("%s on replica %s", key, e.getKey())
              .isEqualTo(first);
        } else {
          assertThat(e.getValue().local(key).isEmpty()).as("%s on non-replica %s", key,
              e.getKey()).isTrue();
        }
      }
    }
  }

  @Test
  void aJoiningNodeReceivesItsPartitionsAndWritesDuringTheChangeReachIt() {
    ring.set(Ring.create(Q, List.of(NodeId.of("a"), NodeId.of("b"), NodeId.of("c"))));
    start("a");
    start("b");
    start("c");
    List<Key> keys = write(nodes.get(NodeId.of("a")), "k", 200);
    ReplicaNode d = start("d");
    Ring next = ring.get().withNode(d.id());
    change.set(Optional.of(new RingChange(next, 2, Set.of())));
    keys.addAll(write(nodes.get(NodeId.of("b")), "during", 50));

    transferUntilReady(next, 2);

    assertThat(d.transferProgress().complete()).isTrue();
    assertThat(d.transferProgress().partitions()).isPositive();
    assertThat(d.engine().keyCount()).isPositive();
    switchAndHandOff(next);
    assertHeldByExactlyTheReplicas(keys, Set.of());
    assertThat(nodes.values().stream().mapToLong(ReplicaNode::handedOffKeys).sum()).isPositive();
  }

  @Test
  void aLeavingNodeHandsEveryPartitionOffAndEndsEmpty() {
    List<NodeId> four = List.of(NodeId.of("a"), NodeId.of("b"), NodeId.of("c"), NodeId.of("d"));
    ring.set(Ring.create(Q, four));
    four.forEach(id -> start(id.value()));
    List<Key> keys = write(nodes.get(NodeId.of("d")), "k", 200);
    Ring next = ring.get().withoutNode(NodeId.of("d"));
    change.set(Optional.of(new RingChange(next, 2, Set.of())));
    keys.addAll(write(nodes.get(NodeId.of("a")), "during", 30));

    transferUntilReady(next, 2);
    assertThat(nodes.get(NodeId.of("d")).engine().keyCount()).as("it serves until the switch")
        .isPositive();
    switchAndHandOff(next);

    assertHeldByExactlyTheReplicas(keys, Set.of());
    assertThat(nodes.get(NodeId.of("d")).engine().keyCount()).isZero();
  }

  @Test
  void aRemovedDeadNodesPartitionsAreRebuiltFromTheSurvivors() {
    List<NodeId> four = List.of(NodeId.of("a"), NodeId.of("b"), NodeId.of("c"), NodeId.of("d"));
    ring.set(Ring.create(Q, four));
    four.forEach(id -> start(id.value()));
    List<Key> keys = write(nodes.get(NodeId.of("a")), "k", 200);
    local.disconnect(NodeId.of("c"));
    Ring next = ring.get().withoutNode(NodeId.of("c"));
    change.set(Optional.of(new RingChange(next, 2, Set.of(NodeId.of("c")))));

    transferUntilReady(next, 2);
    switchAndHandOff(next);

    assertHeldByExactlyTheReplicas(keys, Set.of(NodeId.of("c")));
  }

  @Test
  void aTransferWaitsForASourceThatIsDownAndGoesOnWhenItIsBack() {
    ring.set(Ring.create(Q, List.of(NodeId.of("a"), NodeId.of("b"), NodeId.of("c"))));
    start("a");
    start("b");
    start("c");
    List<Key> keys = write(nodes.get(NodeId.of("a")), "k", 100);
    ReplicaNode d = start("d");
    Ring next = ring.get().withNode(d.id());
    change.set(Optional.of(new RingChange(next, 2, Set.of())));
    local.disconnect(NodeId.of("b"));
    for (int i = 0; i < 20; i++) {
      d.transferStep();
    }
    assertThat(ready).doesNotContainKey(d.id());
    assertThat(d.transferProgress().waitingFor()).contains("b");

    local.reconnect(NodeId.of("b"));
    transferUntilReady(next, 2);
    switchAndHandOff(next);
    assertHeldByExactlyTheReplicas(keys, Set.of());
  }

  @Test
  void aPlanListsWhatMovesWithTheSizesTheSourcesHoldAndTheTimeAtTheRate() {
    ring.set(Ring.create(Q, List.of(NodeId.of("a"), NodeId.of("b"), NodeId.of("c"))));
    start("a");
    start("b");
    start("c");
    write(nodes.get(NodeId.of("a")), "k", 300);
    Ring next = ring.get().withNode(NodeId.of("d"));

    HandoffPlan plan = nodes.get(NodeId.of("a")).plan(ring.get(), next, Set.of()).join();

    assertThat(plan.moves()).isNotEmpty().allSatisfy(m -> {
      assertThat(m.to()).isEqualTo(NodeId.of("d"));
      assertThat(m.from()).hasSize(3).doesNotContain(NodeId.of("d"));
      assertThat(m.n()).isEqualTo(3);
    });
    long expected = 0;
    for (HandoffPlan.Move m : plan.moves()) {
      long[] count = {0};
      nodes.get(NodeId.of("a")).engine().forEachInPartition(m.partition(), (k, v) -> count[0]++);
      assertThat(m.keys()).as("partition %s", m.partition()).isEqualTo(count[0]);
      expected += count[0];
    }
    assertThat(plan.keys()).isEqualTo(expected).isPositive();
    assertThat(plan.unknown()).isEmpty();
    assertThat(plan.estimatedMillis()).as("no limit here").isZero();
    // Nothing moved: d is not even a node yet.
    assertThat(nodes).doesNotContainKey(NodeId.of("d"));
  }
}
