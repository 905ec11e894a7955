package io.ringkv.versioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.Actor;
import io.ringkv.api.Dot;
import io.ringkv.api.NodeId;
import io.ringkv.api.VectorClock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DotIssuerTest {
  private static final Actor A = new Actor(NodeId.of("a"), 12);
  private static final Actor A_EARLIER_LIFE = new Actor(NodeId.of("a"), 11);
  private static final Actor B = new Actor(NodeId.of("b"), 12);

  private static VectorClock knows(Actor actor, long counter) {
    return VectorClock.ofCounters(Map.of(actor, counter));
  }

  @Test
  void issuesOneTwoThreeForAnActorThatKnowsNothing() {
    DotIssuer issuer = new DotIssuer(A);

    assertThat(issuer.actor()).isEqualTo(A);
    assertThat(issuer.lastIssued()).isZero();
    assertThat(issuer.next(VectorClock.empty())).isEqualTo(new Dot(A, 1));
    assertThat(issuer.next(VectorClock.empty())).isEqualTo(new Dot(A, 2));
    assertThat(issuer.next(VectorClock.empty())).isEqualTo(new Dot(A, 3));
    assertThat(issuer.lastIssued()).isEqualTo(3);
  }

  @Test
  void issuesAboveWhatTheKeysHistoryKnowsOfTheActor() {
    DotIssuer issuer = new DotIssuer(A);

    assertThat(issuer.next(knows(A, 7))).isEqualTo(new Dot(A, 8));
    assertThat(issuer.next(knows(A, 3))).isEqualTo(new Dot(A, 9));
    assertThat(issuer.next(knows(A, 20))).isEqualTo(new Dot(A, 21));
    assertThat(issuer.lastIssued()).isEqualTo(21);
  }

  @Test
  void otherActorsAndEarlierLivesDoNotCount() {
    DotIssuer issuer = new DotIssuer(A);
    VectorClock knowledge = knows(B, 50).merge(knows(A_EARLIER_LIFE, 40));

    assertThat(issuer.next(knowledge)).isEqualTo(new Dot(A, 1));
  }

  @Test
  void neverReissuesADotAfterTheKeysHistoryForgotTheActor() {
    DotIssuer issuer = new DotIssuer(A);
    VectorClock history = VectorClock.empty();
    for (int i = 0; i < 3; i++) {
      history = history.with(issuer.next(history), i);
    }
    // The key's clock lost A's entry (pruned, or the tombstones removed): knowledge is empty.
    VectorClock newer = knows(B, 1).with(new Dot(B, 2), 99);
    VectorClock forgotten = new PruningPolicy(1).prune(history.merge(newer));

    assertThat(forgotten.counter(A)).isZero();
    assertThat(issuer.next(forgotten)).isEqualTo(new Dot(A, 4));
  }

  @Test
  void resumesAboveAPersistedMark() {
    assertThat(new DotIssuer(A, 41).next(VectorClock.empty())).isEqualTo(new Dot(A, 42));
    assertThat(new DotIssuer(A, 41).lastIssued()).isEqualTo(41);
    assertThatThrownBy(() -> new DotIssuer(A, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lastIssued must be >= 0, was -1");
    assertThatThrownBy(() -> new DotIssuer(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void refusesToWrapAroundWhenCountersRunOut() {
    DotIssuer issuer = new DotIssuer(A, 5);

    assertThatThrownBy(() -> issuer.next(knows(A, Long.MAX_VALUE)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("start a new epoch");
    assertThat(issuer.lastIssued()).isEqualTo(5);
    assertThat(new DotIssuer(A, Long.MAX_VALUE - 1).next(VectorClock.empty()).counter())
        .isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void neverIssuesADotTwiceUnderConcurrentUse() throws Exception {
    int threads = 4;
    int perThread = 5_000;
    DotIssuer issuer = new DotIssuer(A);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<Dot>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          start.await();
          List<Dot> mine = new ArrayList<>(perThread);
          for (int i = 0; i < perThread; i++) {
            // Knowledge that lags behind (and sometimes jumps ahead of) what was issued.
            VectorClock knowledge =
                i % 97 == 0 ? knows(A, 1L + i * threads + thread) : VectorClock.empty();
            mine.add(issuer.next(knowledge));
          }
          return mine;
        }));
      }
      start.countDown();
      Set<Dot> all = new HashSet<>();
      long max = 0;
      for (Future<List<Dot>> f : results) {
        List<Dot> mine = f.get(30, TimeUnit.SECONDS);
        for (int i = 1; i < mine.size(); i++) {
          assertThat(mine.get(i).counter()).isGreaterThan(mine.get(i - 1).counter());
        }
        all.addAll(mine);
        max = Math.max(max, mine.get(mine.size() - 1).counter());
      }
      assertThat(all).hasSize(threads * perThread);
      assertThat(issuer.lastIssued()).isEqualTo(max);
    } finally {
      pool.shutdownNow();
    }
  }
}
