package io.ringkv.testkit.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Dot;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import io.ringkv.storage.spi.KeyPartitioner;
import io.ringkv.storage.spi.StorageEngine;
import io.ringkv.storage.spi.StorageSettings;
import io.ringkv.storage.spi.Write;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link StorageEngine} passes (after Voldemort's {@code AbstractStoreTest}).
 * A subclass supplies {@link #createEngine}; a durable engine also overrides {@link #reopen}, and
 * the durability tests run only then.
 */
public abstract class StorageEngineContractTest {
  /** The partitions of {@link #PARTITIONER}: 0 to 7. */
  protected static final int PARTITIONS = 8;
  /** The partitioner the suite's engines are opened with. */
  protected static final KeyPartitioner PARTITIONER =
      key -> Math.floorMod(key.key().hashCode(), PARTITIONS);

  private static final long WAIT_SECONDS = 60;
  private static final Actor N1 = actor("n1");
  private static final Actor N2 = actor("n2");
  private static final Actor N3 = actor("n3");
  private static final Key K = Key.of("bucket", "k");

  @TempDir
  protected Path directory;

  /** The settings {@link #engine} was opened with. */
  protected StorageSettings settings;
  /** The engine under test, opened before each test and closed after it. */
  protected StorageEngine engine;

  /** Opens a new engine over {@code settings} (an empty directory at the start of each test). */
  protected abstract StorageEngine createEngine(StorageSettings settings);

  /**
   * Closes {@code old} and opens the engine again over the same settings, or returns null (and
   * leaves {@code old} open) when the engine keeps nothing across a close: the durability tests
   * are then skipped.
   */
  protected StorageEngine reopen(StorageEngine old, StorageSettings settings) {
    return null;
  }

  /** The engine-specific options the suite opens engines with; none by default. */
  protected Map<String, String> options() {
    return Map.of();
  }

  @BeforeEach
  void openEngine() {
    settings = new StorageSettings(directory, PARTITIONER, options());
    engine = createEngine(settings);
  }

  @AfterEach
  void closeEngine() {
    if (engine != null) {
      engine.close();
    }
  }

  // ---------------------------------------------------------------- reads and writes

  @Test
  void anAbsentKeyHoldsNothing() {
    assertThat(engine.get(K)).isEqualTo(Siblings.empty());
    assertThat(engine.keyCount()).isZero();
    assertThat(entriesOf(PARTITIONER.partitionOf(K))).isEmpty();
  }

  @Test
  void putThenGetRoundTripsEveryFieldAndCopiesValues() {
    byte[] raw = {1, 2, 3, 0, (byte) 0xff};
    VectorClock context = new VectorClock(new TreeMap<>(Map.of(
        N2, new VectorClock.Entry(4, 1_700_000_000_123L), N3, new VectorClock.Entry(9, 42L))));
    Versioned<Bytes> v = new Versioned<>(Bytes.of(raw), dot(N1, 1), context, 1_700_000_000_456L, false);

    Siblings returned = engine.put(K, Siblings.of(v));
    raw[0] = 99;
    Siblings stored = engine.get(K);
    stored.versions().get(0).value().toByteArray()[1] = 99;

    assertThat(returned).isEqualTo(Siblings.of(v));
    assertThat(engine.get(K)).isEqualTo(Siblings.of(v));
    Versioned<Bytes> read = engine.get(K).versions().get(0);
    assertThat(read.value().toByteArray()).containsExactly(1, 2, 3, 0, 0xff);
    assertThat(read.dot()).isEqualTo(dot(N1, 1));
    assertThat(read.context().entries()).isEqualTo(context.entries()); // counters and timestamps
    assertThat(read.timestamp()).isEqualTo(1_700_000_000_456L);
    assertThat(read.tombstone()).isFalse();
  }

  @Test
  void putOfAnEmptySetStoresNothing() {
    assertThat(engine.put(K, Siblings.empty())).isEqualTo(Siblings.empty());
    assertThat(engine.keyCount()).isZero();

    Siblings one = Siblings.of(live("a", dot(N1, 1), VectorClock.empty()));
    engine.put(K, one);

    assertThat(engine.put(K, Siblings.empty())).isEqualTo(one);
    assertThat(engine.get(K)).isEqualTo(one);
  }

  @Test
  void aPutWhoseContextCoversStoredSiblingsDropsExactlyThose() {
    Versioned<Bytes> a = live("a", dot(N1, 1), VectorClock.empty());
    Versioned<Bytes> b = live("b", dot(N2, 1), VectorClock.empty());
    Versioned<Bytes> c = live("c", dot(N3, 1), VectorClock.empty());
    engine.put(K, Siblings.of(a));
    engine.put(K, Siblings.of(b));
    engine.put(K, Siblings.of(c));
    Versioned<Bytes> d = live("d", dot(N1, 2), seen(a.clock(), b.clock()));

    Siblings returned = engine.put(K, Siblings.of(d));

    assertThat(returned.versions()).containsExactlyInAnyOrder(c, d);
    assertThat(engine.get(K)).isEqualTo(returned);
  }

  @Test
  void aSetOverTheEnginesLimitIsRefusedAsTooLargeAndChangesNothing() {
    long limit = engine.maxBytesPerKey();
    assumeTrue(limit < 256L << 20, "the engine sets no per-key limit small enough to test");
    Versioned<Bytes> base = live("base", dot(N1, 1), VectorClock.empty());
    engine.put(K, Siblings.of(base));
    Versioned<Bytes> tooLarge = new Versioned<>(Bytes.of(new byte[(int) limit + 1]), dot(N1, 2), base.clock(),
        1_700_000_000_000L, false);

    assertThatThrownBy(() -> engine.put(K, Siblings.of(tooLarge)))
        .isInstanceOfSatisfying(RingkvException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE));
    assertThat(engine.get(K)).isEqualTo(Siblings.of(base));
    assertThat(engine.keyCount()).isEqualTo(1);
  }

  @Test
  void twoConcurrentVersionsAreBothKept() {
    Versioned<Bytes> base = live("base", dot(N1, 1), VectorClock.empty());
    engine.put(K, Siblings.of(base));
    // Two writers read `base` and wrote concurrently, one of them through the same node.
    Versioned<Bytes> x = live("x", dot(N1, 2), base.clock());
    Versioned<Bytes> y = live("y", dot(N1, 3), base.clock());

    engine.put(K, Siblings.of(x));
    Siblings returned = engine.put(K, Siblings.of(y));

    assertThat(returned.versions()).containsExactlyInAnyOrder(x, y);
    assertThat(engine.get(K).versions()).containsExactlyInAnyOrder(x, y);
  }

  @Test
  void rePuttingTheSameSetIsIdempotent() {
    Siblings set = Siblings.of(live("a", dot(N1, 1), VectorClock.empty()),
        live("b", dot(N2, 1), VectorClock.empty()));

    Siblings first = engine.put(K, set);
    Siblings second = engine.put(K, set);
    Siblings third = engine.put(K, Siblings.of(set.versions().get(1)));

    assertThat(first).isEqualTo(set);
    assertThat(second).isEqualTo(set);
    assertThat(third).isEqualTo(set);
    assertThat(engine.get(K)).isEqualTo(set);
    assertThat(engine.keyCount()).isEqualTo(1);
  }

  @Test
  void aVersionAlreadyCoveredIsIgnored() {
    Versioned<Bytes> old = live("old", dot(N1, 1), VectorClock.empty());
    Versioned<Bytes> newer = live("newer", dot(N2, 1), old.clock());
    engine.put(K, Siblings.of(newer));

    Siblings afterOld = engine.put(K, Siblings.of(old));
    Siblings afterBoth = engine.put(K, Siblings.of(old, newer));

    assertThat(afterOld).isEqualTo(Siblings.of(newer));
    assertThat(afterBoth).isEqualTo(Siblings.of(newer));
    assertThat(engine.get(K)).isEqualTo(Siblings.of(newer));
  }

  @Test
  void aSetOfSeveralVersionsIsMergedAtOnce() {
    Versioned<Bytes> a = live("a", dot(N1, 1), VectorClock.empty());
    Versioned<Bytes> b = live("b", dot(N2, 1), VectorClock.empty());
    engine.put(K, Siblings.of(a, b));
    Versioned<Bytes> c = live("c", dot(N3, 1), a.clock());                  // supersedes a
    Versioned<Bytes> e = live("e", dot(N3, 2), VectorClock.empty());        // concurrent with all
    Versioned<Bytes> f = live("f", dot(N1, 2), VectorClock.empty());
    Versioned<Bytes> g = live("g", dot(N2, 2), f.clock());                  // supersedes f
    Siblings incoming = Siblings.of(List.of(c, e, f, g));

    Siblings returned = engine.put(K, incoming);

    assertThat(returned.versions()).containsExactlyInAnyOrder(b, c, e, g);
    assertThat(returned).isEqualTo(Siblings.of(a, b).merge(incoming));
    assertThat(engine.get(K)).isEqualTo(returned);
  }

  @Test
  void tombstonesAreStoredAndReturnedLikeVersions() {
    Versioned<Bytes> a = live("a", dot(N1, 1), VectorClock.empty());
    Versioned<Bytes> b = live("b", dot(N2, 1), VectorClock.empty());
    engine.put(K, Siblings.of(a, b));
    Versioned<Bytes> deleteA = tombstone(dot(N1, 2), a.clock());

    Siblings afterDelete = engine.put(K, Siblings.of(deleteA));

    assertThat(afterDelete.versions()).containsExactlyInAnyOrder(b, deleteA);
    assertThat(afterDelete.live()).containsExactly(b);
    Versioned<Bytes> deleteAll = tombstone(dot(N3, 1), afterDelete.clock());
    Siblings deleted = engine.put(K, Siblings.of(deleteAll));

    assertThat(deleted).isEqualTo(Siblings.of(deleteAll));
    assertThat(deleted.isDeleted()).isTrue();
    Versioned<Bytes> read = engine.get(K).versions().get(0);
    assertThat(read.tombstone()).isTrue();
    assertThat(read.value()).isEqualTo(Bytes.EMPTY);
    assertThat(read.dot()).isEqualTo(dot(N3, 1));
    assertThat(read.context()).isEqualTo(afterDelete.clock());
    assertThat(engine.keyCount()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- removal, iteration, counts

  @Test
  void removeIfEqualsRemovesOnlyOnAnExactMatch() {
    Key other = Key.of("bucket", "other");
    Versioned<Bytes> a = live("a", dot(N1, 1), VectorClock.empty());
    Versioned<Bytes> b = live("b", dot(N2, 1), VectorClock.empty());
    Siblings stored = Siblings.of(a, b);
    engine.put(K, stored);
    engine.put(other, stored);

    assertThat(engine.removeIfEquals(K, Siblings.of(a))).isFalse();
    assertThat(engine.removeIfEquals(K, Siblings.of(a, b, live("c", dot(N3, 1), VectorClock.empty())))).isFalse();
    assertThat(engine.removeIfEquals(K, Siblings.empty())).isFalse();
    assertThat(engine.removeIfEquals(Key.of("bucket", "absent"), stored)).isFalse();
    assertThat(engine.get(K)).isEqualTo(stored);
    assertThat(engine.keyCount()).isEqualTo(2);

    assertThat(engine.removeIfEquals(K, Siblings.of(b, a))).isTrue();

    assertThat(engine.get(K)).isEqualTo(Siblings.empty());
    assertThat(engine.get(other)).isEqualTo(stored);
    assertThat(engine.keyCount()).isEqualTo(1);
    assertThat(engine.removeIfEquals(K, stored)).isFalse();
  }

  @Test
  void aRemovedKeyCanBeWrittenAgain() {
    Siblings first = Siblings.of(tombstone(dot(N1, 1), VectorClock.empty()));
    engine.put(K, first);
    engine.removeIfEquals(K, first);
    Siblings second = Siblings.of(live("again", dot(N1, 2), VectorClock.empty()));

    assertThat(engine.put(K, second)).isEqualTo(second);
    assertThat(engine.get(K)).isEqualTo(second);
    assertThat(entriesOf(PARTITIONER.partitionOf(K))).containsExactly(Map.entry(K, second));
  }

  @Test
  void forEachInPartitionYieldsExactlyThatPartitionsKeysWithTheirCurrentSets() {
    Map<Key, Siblings> expected = new HashMap<>();
    for (int i = 0; i < 60; i++) {
      Key key = Key.of(i % 2 == 0 ? "even" : "odd", "key-" + i);
      Versioned<Bytes> v = live("v" + i, dot(N1, 1), VectorClock.empty());
      expected.put(key, engine.put(key, Siblings.of(v)));
    }
    for (int i = 0; i < 60; i += 3) {       // a newer version replaces every third key's value
      Key key = Key.of(i % 2 == 0 ? "even" : "odd", "key-" + i);
      Siblings current = expected.get(key);
      expected.put(key, engine.put(key, Siblings.of(live("w" + i, dot(N2, 1), current.clock()))));
    }
    for (int i = 1; i < 60; i += 5) {       // and some keys are reaped
      Key key = Key.of(i % 2 == 0 ? "even" : "odd", "key-" + i);
      assertThat(engine.removeIfEquals(key, expected.remove(key))).isTrue();
    }

    Map<Key, Siblings> seenOverall = new HashMap<>();
    for (int p = 0; p < PARTITIONS; p++) {
      Map<Key, Siblings> seen = entriesOf(p);
      Map<Key, Siblings> ofPartition = new HashMap<>();
      int partition = p;
      expected.forEach((k, s) -> {
        if (PARTITIONER.partitionOf(k) == partition) {
          ofPartition.put(k, s);
        }
      });
      assertThat(seen).as("partition %d", p).isEqualTo(ofPartition);
      seenOverall.putAll(seen);
    }
    assertThat(seenOverall).isEqualTo(expected);
    assertThat(entriesOf(PARTITIONS + 1)).as("a partition holding no key").isEmpty();
  }

  @Test
  void forEachKeyInPartitionYieldsTheKeysForEachInPartitionYields() {
    String longName = "long-".repeat(120); // a key longer than an engine may read at first
    for (int i = 0; i < 40; i++) {
      Key key = Key.of("keys", (i % 4 == 0 ? longName : "key-") + i);
      engine.put(key, Siblings.of(live("v".repeat(i * 50), dot(N1, 1), VectorClock.empty())));
    }
    Key reaped = Key.of("keys", "key-1");
    assertThat(engine.removeIfEquals(reaped, engine.get(reaped))).isTrue();

    int yielded = 0;
    for (int p = 0; p < PARTITIONS; p++) {
      List<Key> keys = new ArrayList<>();
      engine.forEachKeyInPartition(p, keys::add);
      assertThat(keys).as("partition %d", p).doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(entriesOf(p).keySet());
      yielded += keys.size();
    }
    assertThat(yielded).isEqualTo(39);
    reopenOrSkip();
    List<Key> afterReopen = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      engine.forEachKeyInPartition(p, afterReopen::add);
    }
    assertThat(afterReopen).hasSize(39).doesNotContain(reaped)
        .contains(Key.of("keys", longName + 0));
  }

  @Test
  void keyCountCountsKeysNotVersions() {
    assertThat(engine.keyCount()).isZero();
    Siblings two = Siblings.of(live("a", dot(N1, 1), VectorClock.empty()), live("b", dot(N2, 1), VectorClock.empty()));
    for (int i = 0; i < 10; i++) {
      engine.put(Key.of("bucket", "key-" + i), two);
    }
    engine.put(Key.of("bucket", "key-0"), Siblings.of(live("c", dot(N3, 1), VectorClock.empty())));

    assertThat(engine.keyCount()).isEqualTo(10);
    engine.removeIfEquals(Key.of("bucket", "key-1"), two);
    engine.removeIfEquals(Key.of("bucket", "key-2"), Siblings.empty());

    assertThat(engine.keyCount()).isEqualTo(9);
  }

  // ---------------------------------------------------------------- write and update

  @Test
  void writeStoresWhatPutWouldAndBecomesDurable() throws Exception {
    Versioned<Bytes> a = live("a", dot(N1, 1), VectorClock.empty());
    Versioned<Bytes> b = live("b", dot(N2, 1), VectorClock.empty());
    engine.put(K, Siblings.of(a));

    Write written = engine.write(K, Siblings.of(b));

    assertThat(written.stored()).isEqualTo(Siblings.of(a, b));
    assertThat(engine.get(K)).as("visible before it is durable").isEqualTo(Siblings.of(a, b));
    written.durable().get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(engine.write(K, Siblings.empty()).stored()).isEqualTo(Siblings.of(a, b));
    assertThat(engine.write(K, Siblings.of(a)).stored()).as("a no-op").isEqualTo(Siblings.of(a, b));
    reopenOrSkip();
    assertThat(engine.get(K)).isEqualTo(Siblings.of(a, b));
  }

  @Test
  void updateGivesTheChangeWhatIsStoredAndMergesWhatItReturns() throws Exception {
    Versioned<Bytes> a = live("a", dot(N1, 1), VectorClock.empty());
    Versioned<Bytes> b = live("b", dot(N2, 1), VectorClock.empty());
    engine.put(K, Siblings.of(a, b));
    List<Siblings> given = new ArrayList<>();

    // Supersedes what it was given: a new version whose context is the stored clock.
    Write written = engine.update(K, stored -> {
      given.add(stored);
      return Siblings.of(live("c", dot(N1, 2), stored.clock()));
    });

    assertThat(given).as("the change runs once, on the stored set").containsExactly(Siblings.of(a, b));
    Versioned<Bytes> c = live("c", dot(N1, 2), Siblings.of(a, b).clock());
    assertThat(written.stored()).isEqualTo(Siblings.of(c));
    written.durable().get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(engine.update(Key.of("bucket", "absent"), stored -> {
      assertThat(stored).isEqualTo(Siblings.empty());
      return Siblings.empty();
    }).stored()).as("an empty change stores nothing").isEqualTo(Siblings.empty());
    assertThat(engine.keyCount()).isEqualTo(1);
    reopenOrSkip();
    assertThat(engine.get(K)).isEqualTo(Siblings.of(c));
  }

  @Test
  void anUpdateWhoseChangeReturnsNullFailsAndStoresNothing() {
    Versioned<Bytes> a = live("a", dot(N1, 1), VectorClock.empty());
    engine.put(K, Siblings.of(a));

    assertThatThrownBy(() -> engine.update(K, stored -> null)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("returned null");
    assertThat(engine.get(K)).isEqualTo(Siblings.of(a));
  }

  @Test
  void anUpdateOverTheEnginesLimitIsRefusedAsTooLargeAndChangesNothing() {
    long limit = engine.maxBytesPerKey();
    assumeTrue(limit < 256L << 20, "the engine sets no per-key limit small enough to test");
    Versioned<Bytes> a = live("a", dot(N1, 1), VectorClock.empty());
    engine.put(K, Siblings.of(a));
    Versioned<Bytes> tooLarge = new Versioned<>(Bytes.of(new byte[(int) limit + 1]), dot(N2, 1),
        VectorClock.empty(), 1_700_000_000_000L, false);

    assertThatThrownBy(() -> engine.update(K, stored -> Siblings.of(tooLarge)))
        .isInstanceOfSatisfying(RingkvException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE));
    assertThatThrownBy(() -> engine.write(K, Siblings.of(tooLarge)))
        .isInstanceOfSatisfying(RingkvException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE));
    assertThat(engine.get(K)).isEqualTo(Siblings.of(a));
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void concurrentUpdatesOfAKeyNeverSeeTheSameStoredSet() throws Exception {
    // Each update adds a version of n1 numbered one past the newest it was given, concurrent with
    // the rest (no context): two updates given the same set would make the same dot, and one of
    // the versions would be lost. So every number 1..total must be stored.
    int threads = 4;
    int each = 100;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            engine.update(K, stored -> {
              long newest = stored.versions().stream().mapToLong(v -> v.dot().counter()).max().orElse(0);
              return Siblings.of(live("v" + (newest + 1), dot(N1, newest + 1), VectorClock.empty()));
            });
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(WAIT_SECONDS, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(engine.get(K).versions().stream().map(v -> v.dot().counter()).sorted().toList())
        .isEqualTo(LongStream.rangeClosed(1, threads * each).boxed().toList());
  }

  // ---------------------------------------------------------------- concurrency

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void concurrentWritersLoseNothingAndIterationNeverFails() throws Exception {
    List<Key> keys = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      keys.add(Key.of("concurrent", "key-" + i));
    }
    ConcurrentWriters workload = new ConcurrentWriters(engine, PARTITIONER, PARTITIONS, WAIT_SECONDS);

    workload.run(4, 500, keys);

    assertThat(workload.failures()).isEmpty();
    for (Key key : keys) {
      assertThat(engine.get(key)).as("%s", key).isEqualTo(Siblings.of(workload.written().get(key)));
    }
    assertThat(engine.keyCount()).isEqualTo(keys.size());
  }

  // ---------------------------------------------------------------- lifecycle

  @Test
  void everyOperationAfterCloseFailsNamingTheEngine() {
    String name = engine.name();
    Siblings one = Siblings.of(live("a", dot(N1, 1), VectorClock.empty()));
    engine.put(K, one);

    engine.close();
    engine.close(); // closing twice is harmless

    assertThat(name).isNotBlank();
    assertThatThrownBy(() -> engine.get(K)).isInstanceOf(IllegalStateException.class).hasMessageContaining(name);
    assertThatThrownBy(() -> engine.put(K, one)).isInstanceOf(IllegalStateException.class).hasMessageContaining(name);
    assertThatThrownBy(() -> engine.removeIfEquals(K, one))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining(name);
    assertThatThrownBy(() -> engine.forEachInPartition(0, (k, s) -> { }))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining(name);
    assertThatThrownBy(() -> engine.forEachKeyInPartition(0, k -> { }))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining(name);
    assertThatThrownBy(() -> engine.keyCount()).isInstanceOf(IllegalStateException.class).hasMessageContaining(name);
  }

  @Test
  void everythingSurvivesReopen() {
    Key siblingsKey = Key.of("bucket", "siblings");
    Key deletedKey = Key.of("bucket", "deleted");
    Key reapedKey = Key.of("other-bucket", "reaped");
    Versioned<Bytes> a = live("a", dot(N1, 1), VectorClock.empty());
    Versioned<Bytes> b = new Versioned<>(Bytes.of(new byte[] {0, -1, 7}), dot(N2, 3),
        new VectorClock(new TreeMap<>(Map.of(N3, new VectorClock.Entry(5, 123_456L)))), 99L, false);
    Siblings siblings = engine.put(siblingsKey, Siblings.of(a, b));
    Siblings deleted = engine.put(deletedKey, Siblings.of(tombstone(dot(N3, 1), VectorClock.empty())));
    Siblings reaped = engine.put(reapedKey, Siblings.of(tombstone(dot(N1, 7), VectorClock.empty())));
    engine.put(siblingsKey, Siblings.of(a)); // a no-op write after the first one
    assertThat(engine.removeIfEquals(reapedKey, reaped)).isTrue();
    Map<Integer, Map<Key, Siblings>> before = allPartitions();

    reopenOrSkip();

    assertThat(engine.get(siblingsKey)).isEqualTo(siblings);
    assertThat(engine.get(siblingsKey).versions().stream().map(v -> v.context().entries()).toList())
        .as("context entries, timestamps included")
        .isEqualTo(siblings.versions().stream().map(v -> v.context().entries()).toList());
    assertThat(engine.get(deletedKey)).isEqualTo(deleted);
    assertThat(engine.get(deletedKey).isDeleted()).isTrue();
    assertThat(engine.get(reapedKey)).isEqualTo(Siblings.empty());
    assertThat(engine.keyCount()).isEqualTo(2);
    assertThat(allPartitions()).isEqualTo(before);
  }

  @Test
  void writesAfterReopenMergeWithWhatWasRecoveredAndSurviveTheNextReopen() {
    Versioned<Bytes> a = live("a", dot(N1, 1), VectorClock.empty());
    Versioned<Bytes> b = live("b", dot(N2, 1), VectorClock.empty());
    engine.put(K, Siblings.of(a, b));

    reopenOrSkip();
    Versioned<Bytes> c = live("c", dot(N1, 2), a.clock());
    Siblings merged = engine.put(K, Siblings.of(c));
    engine.put(K, Siblings.of(a)); // already superseded: must not come back after recovery
    reopenOrSkip();

    assertThat(merged.versions()).containsExactlyInAnyOrder(b, c);
    assertThat(engine.get(K)).isEqualTo(merged);
    assertThat(engine.keyCount()).isEqualTo(1);
  }

  private void reopenOrSkip() {
    StorageEngine reopened = reopen(engine, settings);
    assumeTrue(reopened != null, "the engine is not durable: reopen returned null");
    engine = reopened;
  }

  // ---------------------------------------------------------------- helpers

  private Map<Key, Siblings> entriesOf(int partition) {
    Map<Key, Siblings> seen = new HashMap<>();
    engine.forEachInPartition(partition, (key, siblings) -> {
      Siblings previous = seen.put(key, siblings);
      assertThat(previous).as("%s yielded twice in partition %d", key, partition).isNull();
    });
    return seen;
  }

  private Map<Integer, Map<Key, Siblings>> allPartitions() {
    Map<Integer, Map<Key, Siblings>> all = new HashMap<>();
    for (int p = 0; p < PARTITIONS; p++) {
      all.put(p, entriesOf(p));
    }
    return all;
  }

  /** An actor of epoch 1 on node {@code node}. */
  protected static Actor actor(String node) {
    return new Actor(NodeId.of(node), 1);
  }

  protected static Dot dot(Actor actor, long counter) {
    return new Dot(actor, counter);
  }

  /** The causal context of a writer that has read every given clock. */
  protected static VectorClock seen(VectorClock... clocks) {
    VectorClock joined = VectorClock.empty();
    for (VectorClock c : clocks) {
      joined = joined.merge(c);
    }
    return joined;
  }

  protected static Versioned<Bytes> live(String value, Dot dot, VectorClock context) {
    return new Versioned<>(Bytes.utf8(value), dot, context, 1_000L + dot.counter(), false);
  }

  protected static Versioned<Bytes> tombstone(Dot dot, VectorClock context) {
    return new Versioned<>(Bytes.EMPTY, dot, context, 2_000L + dot.counter(), true);
  }
}
