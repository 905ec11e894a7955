package io.ringkv.transport.netty.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.GetResult;
import io.ringkv.api.Key;
import io.ringkv.api.KvStore;
import io.ringkv.api.NodeId;
import io.ringkv.api.PutResult;
import io.ringkv.api.QuorumNotReachedException;
import io.ringkv.api.RequestOptions;
import io.ringkv.api.RingkvException;
import io.ringkv.transport.netty.LoopbackCluster;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The coordinator flows of the in-process cluster tests (testkit's {@code ClusterBehaviourTest})
 * over loopback Netty: three real nodes, each behind its own server and network.
 */
class NettyClusterTest {
  private final LoopbackCluster cluster = new LoopbackCluster(3, Duration.ofMillis(1500));

  @AfterEach
  void close() {
    cluster.close();
  }

  private static <T> T join(CompletableFuture<T> f) {
    try {
      return f.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (RuntimeException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static Set<String> values(GetResult r) {
    return r.siblings().stream().map(v -> v.value().toUtf8()).collect(Collectors.toSet());
  }

  private NodeId firstReplica(Key key) {
    return cluster.replicas(key).get(0);
  }

  @Test
  void putThenGetThroughEveryNode() {
    Key key = Key.of("b", "k");
    join(cluster.store(1).put(key, Context.EMPTY, Bytes.utf8("hello")));
    for (int i = 1; i <= 3; i++) {
      assertThat(join(cluster.store(i).get(key)).value().toUtf8()).as("via n%d", i)
          .isEqualTo("hello");
    }
  }

  @Test
  void aWriteThroughANonCoordinatorIsForwardedAndStoredOnTheReplicas() {
    Key key = Key.of("b", "forwarded");
    NodeId coordinator = firstReplica(key);
    NodeId other = cluster.ids.stream().filter(n -> !n.equals(coordinator)).findFirst()
        .orElseThrow();
    join(cluster.node(other).store().put(key, Context.EMPTY, Bytes.utf8("v")));
    // The coordinator wrote locally before acknowledging.
    assertThat(cluster.node(coordinator).local(key).size()).isEqualTo(1);
    assertThat(join(cluster.node(coordinator).store().get(key)).value().toUtf8()).isEqualTo("v");
  }

  @Test
  void anUpdateWithTheContextReplacesTheVersion() {
    Key key = Key.of("b", "update");
    KvStore s = cluster.store(2);
    join(s.put(key, Context.EMPTY, Bytes.utf8("v1")));
    GetResult r = join(s.get(key));
    join(s.put(key, r.context(), Bytes.utf8("v2")));
    assertThat(values(join(cluster.store(3).get(key)))).containsExactly("v2");
  }

  @Test
  void concurrentPutsBecomeSiblingsResolvedByAPutWithTheirContext() {
    Key key = Key.of("b", "conflict");
    join(cluster.store(1).put(key, Context.EMPTY, Bytes.utf8("v0")));
    Context ctx = join(cluster.store(1).get(key)).context();
    CompletableFuture<PutResult> alice = cluster.store(2).put(key, ctx, Bytes.utf8("alice"));
    CompletableFuture<PutResult> bob = cluster.store(3).put(key, ctx, Bytes.utf8("bob"));
    join(alice);
    join(bob);
    GetResult r = join(cluster.store(1).get(key));
    assertThat(values(r)).containsExactlyInAnyOrder("alice", "bob");

    join(cluster.store(2).put(key, r.context(), Bytes.utf8("merged")));
    assertThat(values(join(cluster.store(3).get(key)))).containsExactly("merged");
  }

  @Test
  void anLwwBucketReturnsOneValue() {
    Key key = Key.of("scores", "k");
    join(cluster.store(1).put(key, Context.EMPTY, Bytes.utf8("first")));
    join(cluster.store(2).put(key, Context.EMPTY, Bytes.utf8("second")));
    GetResult r = join(cluster.store(3).get(key));
    assertThat(r.siblings()).hasSize(1);
    assertThat(r.value().toUtf8()).isIn("first", "second");
  }

  @Test
  void writesAndReadsSucceedWithOneServerDown() {
    Key key = Key.of("b", "one-down");
    NodeId down = firstReplica(key);
    cluster.stopServer(down);
    List<NodeId> up = cluster.ids.stream().filter(n -> !n.equals(down)).toList();
    join(cluster.node(up.get(0)).store().put(key, Context.EMPTY, Bytes.utf8("still")));
    assertThat(join(cluster.node(up.get(1)).store().get(key)).value().toUtf8()).isEqualTo("still");
  }

  @Test
  void twoServersDownMeansTheQuorumIsNotReachedAndTheErrorSaysSo() {
    Key key = Key.of("b", "two-down");
    cluster.stopServer(NodeId.of("n2"));
    cluster.stopServer(NodeId.of("n3"));
    Throwable put = catchThrowable(() -> join(
        cluster.store(1).put(key, Context.EMPTY, Bytes.utf8("v"))));
    assertThat(put).isInstanceOf(QuorumNotReachedException.class)
        .hasMessageContaining("1 of W=2");
    Throwable get = catchThrowable(() -> join(cluster.store(1).get(key)));
    assertThat(get).isInstanceOf(QuorumNotReachedException.class)
        .hasMessageContaining("1 of R=2");
  }

  @Test
  void aBrokenQuorumOverrideIsRefusedWhereverItArrives() {
    Key key = Key.of("b", "rule");
    Throwable t = catchThrowable(() -> join(cluster.store(1).put(key, Context.EMPTY,
        Bytes.utf8("v"), RequestOptions.DEFAULT.withW(1))));
    assertThat(t).isInstanceOf(RingkvException.class).hasMessageContaining("r + w > n");
  }
}
