package io.ringkv.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.ringkv.api.Bytes;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.GetResult;
import io.ringkv.api.Key;
import io.ringkv.api.MergeResolver;
import io.ringkv.api.PutResult;
import io.ringkv.api.QuorumNotReachedException;
import io.ringkv.api.ReplicaReceipt;
import io.ringkv.api.RequestOptions;
import io.ringkv.api.RingkvException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the client's calls do against three real nodes: versions, contexts, updates, errors. */
@Timeout(60)
class ClientApiTest {
  private final Cluster cluster = new Cluster();
  private final RingkvClient client = RingkvClient.builder().seeds(cluster.seeds())
      .requestTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void stop() {
    client.close();
    cluster.close();
  }

  @Test
  void blindWritesAreSiblingsAndAWriteWithTheirContextReplacesThemAll() {
    client.put("carts", "alice", Bytes.utf8("milk"));
    client.put("carts", "alice", Bytes.utf8("eggs"));
    GetResult both = client.get("carts", "alice");
    assertThat(both.siblings()).extracting(v -> v.value().toUtf8())
        .containsExactlyInAnyOrder("milk", "eggs");
    assertThat(both.siblings()).allSatisfy(v -> assertThat(v.timestamp()).isPositive());

    PutResult merged = client.put("carts", "alice", Bytes.utf8("eggs,milk"), both.context());
    assertThat(merged.replicas()).extracting(ReplicaReceipt::role)
        .containsOnly(ReplicaReceipt.Role.PRIMARY);
    assertThat(client.get("carts", "alice").value()).isEqualTo(Bytes.utf8("eggs,milk"));
  }

  /** An application's own NIO group works though the client's own group would be epoll. */
  @Test
  void anApplicationsNioGroupCarriesTheClient() {
    EventLoopGroup nio = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try (RingkvClient onNio = RingkvClient.builder().seeds(cluster.seeds()).eventLoopGroup(nio)
        .requestTimeout(Duration.ofSeconds(5)).build()) {
      onNio.put("b", "nio", Bytes.utf8("x"));
      assertThat(onNio.get("b", "nio").value()).isEqualTo(Bytes.utf8("x"));
    } finally {
      nio.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void deleteWithAContextOrWithoutOneRemovesWhatWasRead() {
    client.put("b", "one", Bytes.utf8("1"));
    client.delete("b", "one", client.get("b", "one").context());
    assertThat(client.get("b", "one").isFound()).isFalse();

    client.put("b", "two", Bytes.utf8("2"));
    client.delete("b", "two");
    assertThat(client.get("b", "two").isFound()).isFalse();
  }

  @Test
  void theAsynchronousCallsPipelineOnOneConnection() {
    List<CompletableFuture<PutResult>> puts = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      puts.add(client.putAsync("b", "k" + i, Bytes.utf8("v" + i)));
    }
    CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
    for (int i = 0; i < 200; i += 17) {
      assertThat(client.getAsync("b", "k" + i).join().value()).isEqualTo(Bytes.utf8("v" + i));
    }
  }

  /** Callers on many threads share the connections; each gets its own answers. */
  @Test
  void callersOnManyThreadsEachGetTheirOwnAnswers() throws Exception {
    int threads = 8;
    int each = 40;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> callers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int caller = t;
        callers.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            String key = "c" + caller + "-" + i;
            client.put("b", key, Bytes.utf8(key));
            assertThat(client.get("b", key).value()).isEqualTo(Bytes.utf8(key));
          }
          return null;
        }));
      }
      for (Future<?> f : callers) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void updateAppliesTheChangeToTheResolvedValueAndWritesOverWhatItRead() {
    AtomicInteger calls = new AtomicInteger();
    client.update("counters", "c", current -> {
      calls.incrementAndGet();
      assertThat(current.isFound()).isFalse();
      return Bytes.utf8("1");
    });
    client.update("counters", "c", current -> {
      calls.incrementAndGet();
      int n = Integer.parseInt(current.value().toUtf8());
      return Bytes.utf8(Integer.toString(n + 1));
    });
    assertThat(calls).hasValue(2);
    assertThat(client.get("counters", "c").value()).isEqualTo(Bytes.utf8("2"));
  }

  /** A set union: what a cart merge does. */
  static final class Union extends MergeResolver {
    @Override
    protected Bytes merge(List<Bytes> values) {
      TreeSet<String> items = new TreeSet<>();
      for (Bytes v : values) {
        items.addAll(List.of(v.toUtf8().split(",")));
      }
      return Bytes.utf8(String.join(",", items));
    }
  }

  @Test
  void updateMergesSiblingsWithTheClientsResolverBeforeTheChangeSeesThem() {
    try (RingkvClient merging = RingkvClient.builder().seeds(cluster.seeds())
        .resolver(new Union()).build()) {
      merging.put("carts", "bob", Bytes.utf8("milk"));
      merging.put("carts", "bob", Bytes.utf8("eggs"));
      merging.update("carts", "bob", current -> {
        assertThat(current.hasConflict()).isFalse();
        assertThat(current.value()).isEqualTo(Bytes.utf8("eggs,milk"));
        return Bytes.utf8("bread,eggs,milk");
      });
      assertThat(merging.get("carts", "bob").value()).isEqualTo(Bytes.utf8("bread,eggs,milk"));
    }
  }

  @Test
  void aWriteThatRacesAnUpdateIsMergedByTheResolverAndTheChangeRunsOnce() {
    try (RingkvClient merging = RingkvClient.builder().seeds(cluster.seeds())
        .resolver(new Union()).build()) {
      merging.put("carts", "eve", Bytes.utf8("milk"));
      AtomicInteger calls = new AtomicInteger();
      merging.update("carts", "eve", current -> {
        calls.incrementAndGet();
        // Another client writes between this update's read and its write.
        client.put("carts", "eve", Bytes.utf8("milk,tea"), current.context());
        return Bytes.utf8("bread,milk");
      });
      assertThat(calls).hasValue(1);
      GetResult after = merging.get("carts", "eve");
      assertThat(after.hasConflict()).as("the race was merged, not left for readers").isFalse();
      assertThat(after.value()).isEqualTo(Bytes.utf8("bread,milk,tea"));
    }
  }

  @Test
  void anUpdateThatReturnsNullIsRefused() {
    assertThatThrownBy(() -> client.update("b", "k", current -> null))
        .isInstanceOf(RingkvException.class).hasMessageContaining("returned null")
        .extracting(e -> ((RingkvException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
  }

  @Test
  void theNodesRulesComeBackAsTheirCodesAndMessages() {
    assertThatThrownBy(() -> client.put("b", "k", Bytes.utf8("x"), io.ringkv.api.Context.EMPTY,
        RequestOptions.DEFAULT.withW(4)))
        .isInstanceOf(RingkvException.class)
        .satisfies(e -> assertThat(((RingkvException) e).code()).isEqualTo(ErrorCode.INVALID_QUORUM));
    assertThatThrownBy(() -> client.put("b", "k", Bytes.of(new byte[Cluster.VALUE_LIMIT + 1])))
        .isInstanceOf(RingkvException.class).hasMessageContaining("value")
        .satisfies(e -> assertThat(((RingkvException) e).code()).isEqualTo(ErrorCode.TOO_LARGE));
    assertThatThrownBy(() -> client.put("b", "k", Bytes.utf8("x"),
        new io.ringkv.api.Context(Bytes.utf8("forged"))))
        .isInstanceOf(RingkvException.class)
        .satisfies(e -> assertThat(((RingkvException) e).code()).isEqualTo(ErrorCode.INVALID_CONTEXT));
    assertThatThrownBy(() -> client.get("bad bucket!", "k"))
        .isInstanceOf(RingkvException.class).hasMessageContaining("bucket 'bad bucket!'");
  }

  @Test
  void aQuorumNotReachedCarriesItsCounts() {
    cluster.kill(1);
    cluster.kill(2);
    assertThatThrownBy(() -> client.put("b", "k", Bytes.utf8("x"), io.ringkv.api.Context.EMPTY,
        RequestOptions.DEFAULT.withW(2).withTimeout(Duration.ofSeconds(2))))
        .isInstanceOfSatisfying(QuorumNotReachedException.class, q -> {
          assertThat(q.quorum()).isEqualTo("W");
          assertThat(q.required()).isEqualTo(2);
          assertThat(q.achieved()).isEqualTo(1);
        });
  }

  @Test
  void theKvStoreFaceTakesKeysAndOptions() {
    Key key = Key.of("b", "kv");
    client.put(key, io.ringkv.api.Context.EMPTY, Bytes.utf8("x"),
        RequestOptions.DEFAULT.withW(3)).join();
    assertThat(client.get(key, RequestOptions.DEFAULT.withR(3)).join().value())
        .isEqualTo(Bytes.utf8("x"));
  }
}
