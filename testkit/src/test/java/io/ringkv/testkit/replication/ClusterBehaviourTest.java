package io.ringkv.testkit.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.GetResult;
import io.ringkv.api.InvalidContextException;
import io.ringkv.api.Key;
import io.ringkv.api.KvStore;
import io.ringkv.api.NodeId;
import io.ringkv.api.PutResult;
import io.ringkv.api.QuorumNotReachedException;
import io.ringkv.api.RequestOptions;
import io.ringkv.api.RingkvException;
import io.ringkv.api.Siblings;
import io.ringkv.api.Versioned;
import io.ringkv.replication.ReplicationSettings;
import io.ringkv.testkit.sim.Faults;
import io.ringkv.testkit.sim.SimCluster;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The quorum coordinator's flows (DESIGN.md, "The put and get flows") on a whole cluster over
 * the in-process network: forwarding, siblings, resolution, read repair, failures.
 */
class ClusterBehaviourTest {
  private final SimCluster cluster = SimCluster.builder().nodes(5).seed(7)
      .bucket("scores", "lww").bucket("carts", "set-union").strictBucket("strict")
      .requestTimeout(Duration.ofMillis(500)).build();

  private <T> T join(CompletableFuture<T> f) {
    return cluster.join(f);
  }

  private static Set<String> values(GetResult r) {
    return r.siblings().stream().map(v -> v.value().toUtf8()).collect(Collectors.toSet());
  }

  private NodeId nonReplica(Key key) {
    List<NodeId> replicas = cluster.replicas(key, 3);
    return cluster.ids().stream().filter(n -> !replicas.contains(n)).findFirst().orElseThrow();
  }

  @Test
  void putThenGetFromAnyNode() {
    Key key = Key.of("b", "k");
    join(cluster.store(1).put(key, Context.EMPTY, Bytes.utf8("hello")));
    for (int i = 1; i <= 5; i++) {
      GetResult r = join(cluster.store(i).get(key));
      assertThat(r.value().toUtf8()).as("read through n%d", i).isEqualTo("hello");
    }
  }

  @Test
  void aNonReplicaForwardsAndStoresNothingItself() {
    Key key = Key.of("b", "forwarded");
    NodeId outsider = nonReplica(key);
    join(cluster.node(outsider).store().put(key, Context.EMPTY, Bytes.utf8("v")));
    cluster.runUntilIdle();
    assertThat(cluster.node(outsider).local(key).isEmpty()).isTrue();
    for (NodeId replica : cluster.replicas(key, 3)) {
      assertThat(cluster.node(replica).local(key).size()).as("on %s", replica).isEqualTo(1);
    }
  }

  @Test
  void updateWithContextReplacesTheVersion() {
    Key key = Key.of("b", "update");
    KvStore s = cluster.store(2);
    join(s.put(key, Context.EMPTY, Bytes.utf8("v1")));
    GetResult r = join(s.get(key));
    join(s.put(key, r.context(), Bytes.utf8("v2")));
    assertThat(values(join(cluster.store(4).get(key)))).containsExactly("v2");
  }

  @Test
  void twoPutsFromOneContextThroughTheSameCoordinatorBecomeSiblings() {
    Key key = Key.of("b", "same-coordinator");
    NodeId coordinator = cluster.replicas(key, 3).get(0);
    KvStore s = cluster.node(coordinator).store();
    join(s.put(key, Context.EMPTY, Bytes.utf8("v0")));
    Context ctx = join(s.get(key)).context();
    join(s.put(key, ctx, Bytes.utf8("alice")));
    join(s.put(key, ctx, Bytes.utf8("bob")));
    GetResult r = join(s.get(key));
    assertThat(values(r)).containsExactlyInAnyOrder("alice", "bob");
    // A put with the siblings' context resolves the conflict.
    join(s.put(key, r.context(), Bytes.utf8("merged")));
    assertThat(values(join(cluster.store(1).get(key)))).containsExactly("merged");
  }

  @Test
  void twoBlindPutsThroughTheSameCoordinatorBecomeSiblings() {
    Key key = Key.of("b", "blind");
    KvStore s = cluster.node(cluster.replicas(key, 3).get(0)).store();
    join(s.put(key, Context.EMPTY, Bytes.utf8("x")));
    join(s.put(key, Context.EMPTY, Bytes.utf8("y")));
    assertThat(values(join(s.get(key)))).containsExactlyInAnyOrder("x", "y");
  }

  @Test
  void lwwBucketKeepsTheLatestAndWritesItBack() {
    Key key = Key.of("scores", "k");
    KvStore s = cluster.store(1);
    join(s.put(key, Context.EMPTY, Bytes.utf8("old")));
    cluster.scheduler().advance(Duration.ofMillis(10));
    join(s.put(key, Context.EMPTY, Bytes.utf8("new")));
    GetResult r = join(s.get(key));
    assertThat(values(r)).containsExactly("new");
    cluster.runUntilIdle();
    for (NodeId replica : cluster.replicas(key, 3)) {
      assertThat(cluster.node(replica).local(key).size())
          .as("the write-back replaced both versions on %s", replica).isEqualTo(1);
    }
  }

  @Test
  void setUnionBucketMergesConcurrentCarts() {
    Key key = Key.of("carts", "alice");
    join(cluster.store(1).put(key, Context.EMPTY, Bytes.utf8("apples\nbread")));
    join(cluster.store(2).put(key, Context.EMPTY, Bytes.utf8("bread\ncheese")));
    GetResult r = join(cluster.store(3).get(key));
    assertThat(r.value().toUtf8()).isEqualTo("apples\nbread\ncheese");
  }

  @Test
  void deleteHidesTheKeyAndAntiEntropyReapsTheTombstonesOnceEveryReplicaHasThem() {
    Key key = Key.of("b", "deleted");
    KvStore s = cluster.store(3);
    join(s.put(key, Context.EMPTY, Bytes.utf8("v")));
    join(s.delete(key, join(s.get(key)).context()));
    cluster.runUntilIdle();
    assertThat(join(s.get(key)).isFound()).isFalse();
    cluster.runUntilIdle();
    assertThat(cluster.holdings(key).values()).as("reads never reap").anyMatch(Siblings::isDeleted);
    NodeId replica = cluster.replicas(key, 3).get(0);
    join(cluster.node(replica).repair(OptionalInt.empty()));
    assertThat(cluster.holdings(key).values()).as("the first round that finds them keeps them")
        .anyMatch(Siblings::isDeleted);
    // Past the time a write in flight at the first sighting takes to land (2 request timeouts).
    cluster.advance(ReplicationSettings.DEFAULTS.requestTimeout().multipliedBy(2).plusMillis(1));
    join(cluster.node(replica).repair(OptionalInt.empty()));
    assertThat(cluster.holdings(key).values()).allMatch(Siblings::isEmpty);
    assertThat(join(s.get(key)).isFound()).isFalse();
  }

  @Test
  void aDeleteConcurrentWithAPutKeepsThePut() {
    Key key = Key.of("b", "delete-race");
    KvStore s = cluster.store(1);
    join(s.put(key, Context.EMPTY, Bytes.utf8("v1")));
    Context ctx = join(s.get(key)).context();
    join(s.put(key, ctx, Bytes.utf8("v2")));
    join(s.delete(key, ctx));
    assertThat(values(join(s.get(key)))).containsExactly("v2");
  }

  @Test
  void oneReplicaDownWritesAndReadsStillSucceed() {
    Key key = Key.of("b", "one-down");
    NodeId down = cluster.replicas(key, 3).get(0);
    cluster.crash(down);
    NodeId client = cluster.ids().stream().filter(n -> !n.equals(down)).findFirst().orElseThrow();
    join(cluster.node(client).store().put(key, Context.EMPTY, Bytes.utf8("v")));
    assertThat(join(cluster.node(client).store().get(key)).value().toUtf8()).isEqualTo("v");
  }

  @Test
  void twoReplicasDownInAStrictBucketFailsWithKOfW() {
    Key key = Key.of("strict", "two-down");
    List<NodeId> replicas = cluster.replicas(key, 3);
    cluster.crash(replicas.get(1));
    cluster.crash(replicas.get(2));
    CompletableFuture<PutResult> f = cluster.await(
        cluster.node(replicas.get(0)).store().put(key, Context.EMPTY, Bytes.utf8("v")));
    assertThatThrownBy(f::join).cause().isInstanceOf(QuorumNotReachedException.class)
        .hasMessageContaining("1 of W=2");
    CompletableFuture<GetResult> g = cluster.await(cluster.node(replicas.get(0)).store().get(key));
    assertThatThrownBy(g::join).cause().isInstanceOf(QuorumNotReachedException.class)
        .hasMessageContaining("1 of R=2");
  }

  @Test
  void perRequestOverridesAreHonouredAndChecked() {
    Key key = Key.of("b", "overrides");
    List<NodeId> replicas = cluster.replicas(key, 3);
    cluster.crash(replicas.get(1));
    cluster.crash(replicas.get(2));
    KvStore s = cluster.node(replicas.get(0)).store();
    // w=1 with r=3 keeps r + w > n and succeeds on the coordinator alone.
    join(s.put(key, Context.EMPTY, Bytes.utf8("v"), RequestOptions.DEFAULT.withW(1).withR(3)));
    CompletableFuture<PutResult> refused = cluster.await(
        s.put(key, Context.EMPTY, Bytes.utf8("v"), RequestOptions.DEFAULT.withW(1)));
    assertThatThrownBy(refused::join).cause().isInstanceOf(RingkvException.class)
        .hasMessageContaining("r + w > n");
  }

  @Test
  void readRepairBringsAStaleReplicaUpToDate() {
    Key key = Key.of("b", "repair");
    List<NodeId> replicas = cluster.replicas(key, 3);
    NodeId stale = replicas.get(2);
    cluster.crash(stale);
    join(cluster.node(replicas.get(0)).store().put(key, Context.EMPTY, Bytes.utf8("v")));
    cluster.restart(stale, false);
    assertThat(cluster.node(stale).local(key).isEmpty()).isTrue();
    join(cluster.node(replicas.get(0)).store().get(key, RequestOptions.DEFAULT.withR(3)));
    cluster.runUntilIdle();
    assertThat(cluster.node(stale).local(key)).isEqualTo(cluster.node(replicas.get(0)).local(key));
  }

  @Test
  void garbageContextIsRefused() {
    CompletableFuture<PutResult> f = cluster.await(cluster.store(1)
        .put(Key.of("b", "k"), Context.parse("AAECAwQ"), Bytes.utf8("v")));
    assertThatThrownBy(f::join).cause().isInstanceOf(InvalidContextException.class);
  }

  @Test
  void everyOperationFinishesUnderHeavyMessageLoss() {
    cluster.network().setFaults(new Faults(0.5, 0.1, 1, 50));
    int finished = 0;
    for (int i = 0; i < 50; i++) {
      CompletableFuture<PutResult> f = cluster.await(
          cluster.store(1 + i % 5).put(Key.of("b", "lossy" + i % 3), Context.EMPTY, Bytes.utf8("v" + i)));
      assertThat(f).isDone();
      finished++;
    }
    assertThat(finished).isEqualTo(50);
  }

  @Test
  void aRestartedNodeIsANewActorSoItsDotsNeverRepeat() {
    Key key = Key.of("b", "epochs");
    NodeId coordinator = cluster.replicas(key, 3).get(0);
    var before = cluster.node(coordinator).actor();
    join(cluster.node(coordinator).store().put(key, Context.EMPTY, Bytes.utf8("a")));
    cluster.crash(coordinator);
    cluster.restart(coordinator, true);
    assertThat(cluster.node(coordinator).actor()).isNotEqualTo(before);
    join(cluster.node(coordinator).store().put(key, Context.EMPTY, Bytes.utf8("b")));
    GetResult r = join(cluster.node(coordinator).store().get(key));
    assertThat(r.siblings()).extracting(Versioned::dot).doesNotHaveDuplicates();
    assertThat(values(r)).containsExactlyInAnyOrder("a", "b");
  }

  /**
   * The context a put hands back claims only what its writer saw: reusing it must not supersede a
   * concurrent write through the same coordinator (a clock {n1: 6} would also claim (n1, 5)).
   */
  @Test
  void reusingAPutsContextNeverSupersedesAConcurrentWriteItDidNotSee() {
    Key key = Key.of("b", "chained");
    KvStore coordinator = cluster.node(cluster.replicas(key, 3).get(0)).store();
    join(coordinator.put(key, Context.EMPTY, Bytes.utf8("alice")));
    PutResult bob = join(coordinator.put(key, Context.EMPTY, Bytes.utf8("bob")));
    join(coordinator.put(key, bob.context(), Bytes.utf8("bob-again")));
    assertThat(values(join(coordinator.get(key)))).as("alice's write is not lost").contains("alice");

    Key alone = Key.of("b", "chained-alone");
    PutResult first = join(coordinator.put(alone, Context.EMPTY, Bytes.utf8("v1")));
    join(coordinator.put(alone, first.context(), Bytes.utf8("v2")));
    assertThat(values(join(coordinator.get(alone)))).as("with nothing unseen the context is exact")
        .containsExactly("v2");
  }
}
