package io.ringkv.testkit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Dot;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import io.ringkv.storage.spi.Hint;
import io.ringkv.storage.spi.HintBacklog;
import io.ringkv.storage.spi.HintStore;
import io.ringkv.storage.spi.StorageSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link io.ringkv.storage.spi.HintStore} passes. A subclass supplies
 * {@link #createStore}; a durable store also overrides {@link #reopen} and
 * {@link #crashAndReopen}, and the durability tests run only then.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class HintStoreContractTest {
  protected static final NodeId N3 = NodeId.of("n3");
  protected static final NodeId N4 = NodeId.of("n4");
  private static final Actor A = new Actor(NodeId.of("n1"), 1);
  private static final Actor B = new Actor(NodeId.of("n2"), 1);
  private static final Key K = Key.of("bucket", "k");
  private static final Key OTHER = Key.of("bucket", "other");

  @TempDir
  protected Path directory;

  /** The settings {@link #store} was opened with. */
  protected StorageSettings settings;
  /** The store under test, opened before each test and closed after it. */
  protected HintStore store;

  /** Opens a new store over {@code settings} (an empty directory at the start of each test). */
  protected abstract HintStore createStore(StorageSettings settings);

  /**
   * Closes {@code old} and opens the store again over the same settings, or returns null (and
   * leaves {@code old} open) when the store keeps nothing across a close: the durability tests are
   * then skipped.
   */
  protected HintStore reopen(HintStore old, StorageSettings settings) {
    return null;
  }

  /**
   * Opens the store again as the process would find it after being killed ({@code kill -9})
   * while {@code old} was open, without closing it cleanly; null when the store keeps nothing
   * across a crash (the crash test is skipped). {@code old} may be left open or abandoned.
   */
  protected HintStore crashAndReopen(HintStore old, StorageSettings settings) {
    return null;
  }

  /** The store-specific options the suite opens stores with; none by default. */
  protected Map<String, String> options() {
    return Map.of();
  }

  @BeforeEach
  void openStore() {
    settings = new StorageSettings(directory, key -> 0, options());
    store = createStore(settings);
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  // ---------------------------------------------------------------- basics

  @Test
  void anEmptyStoreHoldsNothing() {
    assertThat(store.targets()).isEmpty();
    assertThat(store.oldest(N3, 10)).isEmpty();
    assertThat(store.backlog(N3)).isEqualTo(HintBacklog.EMPTY);
    assertThat(store.pendingFor(K)).isEmpty();
    store.release(N3, 100); // nothing to release: harmless
  }

  @Test
  void hintsComeBackInOrderPerTargetWithTheirVersionsIntact() {
    Siblings one = Siblings.of(live("v1", new Dot(A, 1), VectorClock.empty()));
    Siblings two = Siblings.of(live("v2", new Dot(A, 2), one.clock()),
        live("w", new Dot(B, 1), VectorClock.empty()));
    Siblings deleted = Siblings.of(tombstone(new Dot(B, 2), two.clock()));
    Hint h1 = store.append(N3, K, one, 1_000);
    Hint h2 = store.append(N3, OTHER, two, 2_000);
    Hint h3 = store.append(N3, K, deleted, 3_000);

    assertThat(List.of(h1.sequence(), h2.sequence(), h3.sequence())).isSorted()
        .doesNotHaveDuplicates();
    List<Hint> got = store.oldest(N3, 10);
    assertThat(got).extracting(Hint::sequence)
        .containsExactly(h1.sequence(), h2.sequence(), h3.sequence());
    assertThat(got).extracting(Hint::key).containsExactly(K, OTHER, K);
    assertThat(got).extracting(Hint::versions).containsExactly(one, two, deleted);
    assertThat(got.get(2).versions().isDeleted()).isTrue();
    assertThat(got).extracting(Hint::createdMillis).containsExactly(1_000L, 2_000L, 3_000L);
    assertThat(got).allSatisfy(h -> {
      assertThat(h.target()).isEqualTo(N3);
      assertThat(h.bytes()).isPositive();
    });
    assertThat(store.oldest(N3, 2)).extracting(Hint::sequence)
        .containsExactly(h1.sequence(), h2.sequence());
  }

  @Test
  void eachTargetHasItsOwnQueue() {
    Hint forN3 = store.append(N3, K, versions("a", 1), 10);
    Hint forN4 = store.append(N4, K, versions("b", 2), 20);

    assertThat(store.targets()).containsExactlyInAnyOrder(N3, N4);
    assertThat(store.oldest(N3, 10)).extracting(Hint::sequence).containsExactly(forN3.sequence());
    assertThat(store.oldest(N4, 10)).extracting(Hint::sequence).containsExactly(forN4.sequence());
    store.release(N3, forN3.sequence());
    assertThat(store.targets()).containsExactly(N4);
    assertThat(store.oldest(N4, 10)).hasSize(1);
  }

  @Test
  void releaseRemovesThePrefixUpToTheSequenceAndIsIdempotent() {
    List<Hint> hints = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      hints.add(store.append(N3, Key.of("b", "k" + i), versions("v" + i, i), 100L * i));
    }
    store.release(N3, hints.get(2).sequence());
    store.release(N3, hints.get(1).sequence()); // already released: no-op

    assertThat(store.oldest(N3, 10)).extracting(Hint::sequence)
        .containsExactly(hints.get(3).sequence(), hints.get(4).sequence());
    HintBacklog backlog = store.backlog(N3);
    assertThat(backlog.hints()).isEqualTo(2);
    assertThat(backlog.bytes()).isEqualTo(hints.get(3).bytes() + hints.get(4).bytes());
    assertThat(backlog.oldestCreatedMillis()).isEqualTo(400);
    assertThat(backlog.oldestAgeMillis(1_000)).isEqualTo(600);

    store.release(N3, Long.MAX_VALUE);
    assertThat(store.backlog(N3)).isEqualTo(HintBacklog.EMPTY);
    assertThat(store.targets()).isEmpty();
  }

  @Test
  void theBacklogCountsHintsAndBytes() {
    Hint small = store.append(N3, K, versions("x", 1), 5);
    Hint large = store.append(N3, OTHER, Siblings.of(live("y".repeat(10_000), new Dot(A, 2),
        VectorClock.empty())), 6);
    HintBacklog backlog = store.backlog(N3);
    assertThat(backlog.hints()).isEqualTo(2);
    assertThat(backlog.bytes()).isEqualTo(small.bytes() + large.bytes());
    assertThat(large.bytes()).isGreaterThan(10_000);
    assertThat(backlog.oldestCreatedMillis()).isEqualTo(5);
  }

  @Test
  void pendingForMergesAKeysHintsPerTarget() {
    Versioned<Bytes> v1 = live("v1", new Dot(A, 1), VectorClock.empty());
    Versioned<Bytes> v2 = live("v2", new Dot(A, 2), Siblings.of(v1).clock()); // supersedes v1
    Versioned<Bytes> w = live("w", new Dot(B, 1), VectorClock.empty()); // concurrent
    Hint first = store.append(N3, K, Siblings.of(v1), 1);
    store.append(N3, K, Siblings.of(v2), 2);
    store.append(N4, K, Siblings.of(w), 3);
    store.append(N3, OTHER, Siblings.of(w), 4);

    Map<NodeId, Siblings> pending = store.pendingFor(K);
    assertThat(pending).containsOnlyKeys(N3, N4);
    assertThat(pending.get(N3).versions()).containsExactly(v2);
    assertThat(pending.get(N4).versions()).containsExactly(w);
    assertThat(store.pendingFor(Key.of("bucket", "none"))).isEmpty();

    store.release(N3, first.sequence());
    assertThat(store.pendingFor(K).get(N3).versions()).containsExactly(v2);
    store.release(N3, Long.MAX_VALUE);
    assertThat(store.pendingFor(K)).containsOnlyKeys(N4);
  }

  @Test
  void concurrentAppendsAreAllKeptWithDistinctSequences() throws Exception {
    int threads = 4;
    int each = 250;
    CountDownLatch start = new CountDownLatch(1);
    ConcurrentLinkedQueue<Hint> appended = new ConcurrentLinkedQueue<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread worker = new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < each; i++) {
            appended.add(store.append(i % 2 == 0 ? N3 : N4, Key.of("c", id + "-" + i),
                versions("t" + id + "-" + i, i + 1), i));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      worker.start();
      workers.add(worker);
    }
    start.countDown();
    for (Thread w : workers) {
      w.join(TimeUnit.SECONDS.toMillis(30));
    }
    assertThat(appended).hasSize(threads * each);
    List<Hint> n3 = store.oldest(N3, Integer.MAX_VALUE);
    List<Hint> n4 = store.oldest(N4, Integer.MAX_VALUE);
    assertThat(n3.size() + n4.size()).isEqualTo(threads * each);
    assertThat(n3).extracting(Hint::sequence).isSorted().doesNotHaveDuplicates();
    assertThat(n4).extracting(Hint::sequence).isSorted().doesNotHaveDuplicates();
    Set<Key> keys = new HashSet<>();
    n3.forEach(h -> keys.add(h.key()));
    n4.forEach(h -> keys.add(h.key()));
    assertThat(keys).hasSize(threads * each);
  }

  @Test
  void everyMethodFailsAfterCloseAndClosingTwiceIsHarmless() {
    store.close();
    store.close();
    assertThatThrownBy(() -> store.append(N3, K, versions("a", 1), 1))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.oldest(N3, 1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(store::targets).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.backlog(N3)).isInstanceOf(IllegalStateException.class);
    store = null;
  }

  // ---------------------------------------------------------------- durability

  @Test
  void unreleasedHintsSurviveAReopenAndReleasedOnesDoNot() {
    List<Hint> hints = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      hints.add(store.append(i % 2 == 0 ? N3 : N4, Key.of("d", "k" + i), versions("v" + i, i), i));
    }
    Hint lastN3 = hints.get(19);
    store.release(N3, hints.get(9).sequence()); // the first five of n3's ten
    List<Hint> n3Before = store.oldest(N3, 100);
    List<Hint> n4Before = store.oldest(N4, 100);
    HintBacklog backlogBefore = store.backlog(N3);

    reopenOrSkip();

    assertThat(store.oldest(N3, 100)).isEqualTo(n3Before);
    assertThat(store.oldest(N4, 100)).isEqualTo(n4Before);
    assertThat(store.backlog(N3)).isEqualTo(backlogBefore);
    assertThat(store.pendingFor(Key.of("d", "k20")).get(N3).versions())
        .isEqualTo(lastN3.versions().versions());
    Hint next = store.append(N3, K, versions("after", 99), 99);
    assertThat(next.sequence()).as("sequences keep growing across a reopen")
        .isGreaterThan(lastN3.sequence());
  }

  @Test
  void everyAppendedHintSurvivesACrash() {
    List<Hint> hints = new ArrayList<>();
    for (int i = 1; i <= 200; i++) {
      hints.add(store.append(N3, Key.of("crash", "k" + i), versions("v" + i, i), i));
    }
    store.release(N3, hints.get(49).sequence());
    HintStore reopened = crashAndReopen(store, settings);
    assumeTrue(reopened != null, "the store keeps nothing across a crash");
    store = reopened;

    List<Hint> left = store.oldest(N3, 1_000);
    assertThat(left).extracting(Hint::sequence).as("no appended, unreleased hint is lost")
        .containsAll(hints.subList(50, 200).stream().map(Hint::sequence).toList());
    assertThat(left).extracting(Hint::sequence).as("a released hint may come back, never a "
        + "hint that was not appended").isSubsetOf(hints.stream().map(Hint::sequence).toList());
    assertThat(left.get(left.size() - 1).versions()).isEqualTo(hints.get(199).versions());
    Hint next = store.append(N3, K, versions("after", 999), 999);
    assertThat(next.sequence()).isGreaterThan(hints.get(199).sequence());
  }

  @Test
  void manyHintsAcrossSeveralReopensKeepTheirOrder() {
    long last = 0;
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 1_000; i++) {
        Hint h = store.append(N3, Key.of("many", round + "-" + i),
            versions("x".repeat(i % 100), round * 1_000 + i + 1), i);
        assertThat(h.sequence()).isGreaterThan(last);
        last = h.sequence();
      }
      List<Hint> all = store.oldest(N3, 500);
      store.release(N3, all.get(all.size() - 1).sequence());
      reopenOrSkip();
    }
    List<Hint> left = store.oldest(N3, Integer.MAX_VALUE);
    assertThat(left).hasSize(3 * 1_000 - 3 * 500);
    assertThat(left).extracting(Hint::sequence).isSorted().doesNotHaveDuplicates();
    assertThat(store.backlog(N3).hints()).isEqualTo(left.size());
  }

  private void reopenOrSkip() {
    HintStore reopened = reopen(store, settings);
    assumeTrue(reopened != null, "the store is not durable: reopen returned null");
    store = reopened;
  }

  // ---------------------------------------------------------------- helpers

  private static Siblings versions(String value, long counter) {
    return Siblings.of(live(value, new Dot(A, counter), VectorClock.empty()));
  }

  private static Versioned<Bytes> live(String value, Dot dot, VectorClock context) {
    return new Versioned<>(Bytes.utf8(value), dot, context, 1_000L + dot.counter(), false);
  }

  private static Versioned<Bytes> tombstone(Dot dot, VectorClock context) {
    return new Versioned<>(Bytes.EMPTY, dot, context, 2_000L + dot.counter(), true);
  }
}
