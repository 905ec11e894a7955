package io.ringkv.server.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.GetResult;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.PluginLoadException;
import io.ringkv.api.QuorumNotReachedException;
import io.ringkv.api.Siblings;
import io.ringkv.server.config.BucketConfig;
import io.ringkv.server.config.ClusterConfig;
import io.ringkv.server.config.PluginsConfig;
import io.ringkv.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EmbeddedClusterTest {
  private static final ClusterConfig CONFIG = ClusterConfig.embedded(new PluginsConfig(Path.of("no-plugins-here")))
      .withBucket(BucketConfig.named("sessions").withResolver("lww"))
      .withBucket(BucketConfig.named("carts").withResolver("set-union"));
  private static final Duration BOUND = Duration.ofSeconds(5);

  private EmbeddedCluster cluster;

  @AfterEach
  void close() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private EmbeddedCluster start() {
    cluster = EmbeddedCluster.builder(CONFIG).nodes(3).start();
    return cluster;
  }

  private static Bytes v(String s) {
    return Bytes.utf8(s);
  }

  @Test
  void threeNodesShareOneRingAndServeAnyKeyFromAnyNode() {
    start();
    assertThat(cluster.size()).isEqualTo(3);
    assertThat(cluster.ring().nodes()).containsExactly(NodeId.of("n1"), NodeId.of("n2"), NodeId.of("n3"));
    assertThat(cluster.ring().partitions()).isEqualTo(64);
    assertThat(cluster.resolvers()).containsExactly("lww", "set-union", "siblings");
    Key key = Key.of("users", "alice");
    cluster.store(0).put(key, Context.EMPTY, v("Alice")).join();
    for (int i = 0; i < 3; i++) {
      assertThat(cluster.store(i).get(key).join().value()).isEqualTo(v("Alice"));
    }
    assertThat(cluster.indexOf(NodeId.of("n2"))).isEqualTo(1);
    assertThat(cluster.id(2)).isEqualTo(NodeId.of("n3"));
  }

  @Test
  void concurrentPutsBecomeSiblingsAndAPutWithTheirContextResolvesThem() {
    start();
    Key key = Key.of("users", "bob");
    Context c = cluster.store(0).put(key, Context.EMPTY, v("a")).join().context();
    cluster.store(1).put(key, c, v("b")).join();
    cluster.store(2).put(key, c, v("c")).join();
    GetResult got = cluster.store(0).get(key).join();
    assertThat(got.siblings()).extracting(s -> s.value().toUtf8()).containsExactlyInAnyOrder("b", "c");
    cluster.store(1).put(key, got.context(), v("bc")).join();
    assertThat(cluster.store(2).get(key).join().siblings()).extracting(s -> s.value().toUtf8())
        .containsExactly("bc");
  }

  @Test
  void bucketsUseTheResolverTheyNameLwwWithTheInjectedClock() {
    ManualClock clock = new ManualClock();
    cluster = EmbeddedCluster.builder(CONFIG).clock(clock).start();
    Key session = Key.of("sessions", "s1");
    cluster.store(0).put(session, Context.EMPTY, v("first")).join();
    clock.advance(Duration.ofSeconds(1));
    cluster.store(1).put(session, Context.EMPTY, v("second")).join();
    GetResult won = cluster.store(2).get(session).join();
    assertThat(won.siblings()).hasSize(1);
    assertThat(won.siblings().get(0).timestamp()).isEqualTo(clock.millis());
    assertThat(won.value()).isEqualTo(v("second"));

    Key cart = Key.of("carts", "c1");
    cluster.store(0).put(cart, Context.EMPTY, v("x\ny")).join();
    cluster.store(1).put(cart, Context.EMPTY, v("z")).join();
    assertThat(cluster.store(2).get(cart).join().value()).isEqualTo(v("x\ny\nz"));
  }

  @Test
  void aStoppedNodeIsSeenDownAndQuorumsStillFormWithoutIt() {
    start();
    Key key = Key.of("users", "carol");
    NodeId first = cluster.ring().preferenceList(key, 3).primaries().get(0);
    int down = cluster.indexOf(first);
    int up = (down + 1) % 3;
    Context c = cluster.store(up).put(key, Context.EMPTY, v("v1")).join().context();
    await().atMost(BOUND).until(() -> cluster.node(down).local(key).size() == 1);

    cluster.stop(down);
    assertThat(cluster.isUp(down)).isFalse();
    cluster.store(up).put(key, c, v("v2")).join();
    assertThat(cluster.store(up).get(key).join().value()).isEqualTo(v("v2"));
    assertThat(values(cluster.node(down).local(key))).containsExactly("v1");

    cluster.start(down);
    assertThat(cluster.isUp(down)).isTrue();
    assertThat(cluster.store(up).get(key).join().value()).isEqualTo(v("v2"));
    await().atMost(BOUND).until(() -> values(cluster.node(down).local(key)).equals(List.of("v2")));
  }

  @Test
  void withTwoNodesDownAWriteMissesItsQuorum() {
    start();
    cluster.stop(1);
    cluster.stop(2);
    assertThatThrownBy(() -> cluster.store(0).put(Key.of("users", "dave"), Context.EMPTY, v("x")).join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(QuorumNotReachedException.class)
        .hasMessageContaining("1 of W=2");
  }

  @Test
  void anUnknownResolverFailsStartWithTheExactMessageAndLeavesNoThreadBehind() {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    ClusterConfig bad = CONFIG.withBucket(BucketConfig.named("x").withResolver("nope"));
    assertThatThrownBy(() -> EmbeddedCluster.builder(bad).start())
        .isInstanceOf(PluginLoadException.class)
        .hasMessage("unknown resolver 'nope'; known: lww, set-union, siblings");
    assertNoNewRingkvThreads(before);
  }

  @Test
  void closeStopsEveryThread() {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    start();
    Key key = Key.of("users", "erin");
    cluster.store(0).put(key, Context.EMPTY, v("x")).join();
    assertThat(cluster.store(1).get(key).join().isFound()).isTrue();
    assertThat(newRingkvThreads(before)).isNotEmpty();
    cluster.close();
    cluster.close(); // twice is harmless
    assertNoNewRingkvThreads(before);
  }

  @Test
  void refusesFewerNodesThanTheLargestN() {
    assertThatThrownBy(() -> EmbeddedCluster.builder(CONFIG).nodes(2).start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs at least n=3 nodes");
  }

  private static List<String> values(Siblings s) {
    return s.versions().stream().map(x -> x.value().toUtf8()).collect(Collectors.toList());
  }

  private static Set<Thread> newRingkvThreads(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t) && t.getName().startsWith("ringkv-"))
        .collect(Collectors.toSet());
  }

  private static void assertNoNewRingkvThreads(Set<Thread> before) {
    for (Thread t : newRingkvThreads(before)) {
      try {
        t.join(BOUND.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      assertThat(t.isAlive()).as("thread %s still running", t.getName()).isFalse();
    }
  }
}
