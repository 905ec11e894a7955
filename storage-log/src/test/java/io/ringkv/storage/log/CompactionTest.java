package io.ringkv.storage.log;

import static io.ringkv.storage.log.Fixtures.contents;
import static io.ringkv.storage.log.Fixtures.key;
import static io.ringkv.storage.log.Fixtures.open;
import static io.ringkv.storage.log.Fixtures.smallFiles;
import static io.ringkv.storage.log.Fixtures.version;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.Key;
import io.ringkv.api.Siblings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compaction copies live records forward, deletes old files, and keeps disk use bounded. */
class CompactionTest {
  private static final String PADDING = "x".repeat(400);

  @TempDir
  Path directory;

  @Test
  void compactingDeletesTheOldFilesAndKeepsEveryLiveRecord() {
    Map<Key, Siblings> expected = new HashMap<>();
    Map<Key, Long> counters = new HashMap<>();
    try (LogStorageEngine engine = open(directory, smallFiles("compaction.threshold", "1"))) {
      RecoveryTest.churn(engine, new Random(7), 3000, expected, counters);
      NavigableSet<Integer> before = files().list();
      LogStorageStats stats = engine.stats();
      assertThat(before.size()).isGreaterThan(3);
      assertThat(stats.compactions()).as("threshold 1: never on its own").isZero();

      assertThat(engine.compactNow()).isTrue();

      NavigableSet<Integer> after = files().list();
      assertThat(after.first()).as("every file older than the compaction is gone").isGreaterThan(before.last());
      LogStorageStats compacted = engine.stats();
      assertThat(compacted.compactions()).isEqualTo(1);
      assertThat(compacted.liveBytes()).isEqualTo(stats.liveBytes());
      assertThat(compacted.logBytes()).as("only live records were copied").isEqualTo(compacted.liveBytes());
      assertThat(contents(engine)).isEqualTo(expected);
      RecoveryTest.churn(engine, new Random(8), 300, expected, counters);
      engine.closeWithoutSnapshot();
    }
    try (LogStorageEngine engine = open(directory, smallFiles())) {
      assertThat(contents(engine)).as("after a full-scan recovery").isEqualTo(expected);
    }
    try (LogStorageEngine engine = open(directory, smallFiles())) {
      assertThat(engine.stats().recoveredFromSnapshot()).isTrue();
      assertThat(contents(engine)).as("after a snapshot recovery").isEqualTo(expected);
    }
  }

  @Test
  void removedKeysStayRemovedOnceTheirRemovalRecordsAreCompactedAway() {
    try (LogStorageEngine engine = open(directory, smallFiles())) {
      for (int i = 0; i < 200; i++) {
        Siblings stored = engine.put(key(i), version(1, "v" + i + PADDING));
        if (i % 2 == 0) {
          assertThat(engine.removeIfEquals(key(i), stored)).isTrue();
        }
      }
      assertThat(engine.compactNow()).isTrue();
      assertThat(engine.keyCount()).isEqualTo(100);
      engine.closeWithoutSnapshot();
    }
    try (LogStorageEngine engine = open(directory, smallFiles())) {
      assertThat(engine.keyCount()).isEqualTo(100);
      assertThat(engine.get(key(0))).isEqualTo(Siblings.empty());
      assertThat(engine.get(key(1))).isEqualTo(version(1, "v1" + PADDING));
    }
  }

  @Test
  void diskUseStaysBoundedWhileTheSameKeysAreOverwrittenManyTimes() {
    int keys = 50;
    long written = 0;
    long maxLog = 0;
    long maxDisk = 0;
    try (LogStorageEngine engine = open(directory, smallFiles("compaction.min.bytes", "0"))) {
      for (int round = 1; round <= 200; round++) {
        for (int k = 0; k < keys; k++) {
          written += engine.put(key(k), version(round, round + PADDING)).versions().get(0).value().length();
        }
        if (round % 10 == 0) {
          engine.awaitMaintenance(); // compaction runs on its own thread: measure once it caught up
          LogStorageStats stats = engine.stats();
          maxLog = Math.max(maxLog, stats.logBytes());
          maxDisk = Math.max(maxDisk, stats.diskBytes());
        }
      }
      LogStorageStats stats = engine.stats();
      long live = stats.liveBytes();
      assertThat(written).isGreaterThan(4_000_000);
      assertThat(live).isLessThan(30_000);
      assertThat(stats.compactions()).isGreaterThan(10);
      // Closed files are compacted once half of their bytes are dead; the open file holds 64 KiB.
      assertThat(maxLog).isLessThan(4 * live + 2 * 65_536);
      assertThat(maxDisk).as("file lengths (Chronicle sizes each file in 256 KiB blocks)").isLessThan(3L << 20);
      for (int k = 0; k < keys; k++) {
        assertThat(engine.get(key(k))).isEqualTo(version(200, 200 + PADDING));
      }
    }
  }

  private CycleFiles files() {
    return new CycleFiles(directory.resolve("log"));
  }
}
