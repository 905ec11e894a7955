package io.ringkv.storage.log;

import static io.ringkv.storage.log.Fixtures.contents;
import static io.ringkv.storage.log.Fixtures.key;
import static io.ringkv.storage.log.Fixtures.open;
import static io.ringkv.storage.log.Fixtures.smallFiles;
import static io.ringkv.storage.log.Fixtures.version;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.Key;
import io.ringkv.api.Siblings;
import io.ringkv.storage.spi.StorageSettings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Start-up: the index is rebuilt from the log, torn and damaged records are skipped, snapshots agree. */
class RecoveryTest {
  private static final int NOT_COMPLETE = 0x80000000;

  @TempDir
  Path directory;
  @TempDir
  Path scratch;

  @Test
  void theIndexIsRebuiltFromTheLogAlone() {
    Map<Key, Siblings> expected = new HashMap<>();
    try (LogStorageEngine engine = open(directory, smallFiles())) {
      for (int i = 0; i < 500; i++) {
        expected.put(key(i % 200), engine.put(key(i % 200), version(1 + i / 200, "value-" + i + "+".repeat(300))));
      }
      for (int i = 0; i < 200; i += 9) {
        assertThat(engine.removeIfEquals(key(i), expected.remove(key(i)))).isTrue();
      }
      engine.closeWithoutSnapshot();
    }

    try (LogStorageEngine engine = open(directory, smallFiles())) {
      LogStorageStats stats = engine.stats();
      assertThat(stats.recoveredFromSnapshot()).isFalse();
      assertThat(stats.recordsReplayed()).isEqualTo(500 + 23);
      assertThat(stats.logFiles()).isGreaterThan(1);
      assertThat(contents(engine)).isEqualTo(expected);
      assertThat(engine.keyCount()).isEqualTo(expected.size());
      assertThat(stats.liveBytes()).isLessThan(stats.logBytes());
    }
  }

  @Test
  void aRecordWithGarbageOverItsBytesIsSkippedAndTheKeysOlderRecordServed() throws IOException {
    Siblings first = writeTwoVersionsOfKeyZeroLast();
    long last = lastPosition();

    overwrite(last, 12, new byte[] {0x5A, 0x5A, 0x5A, 0x5A, 0x5A, 0x5A});

    try (LogStorageEngine engine = open(directory, smallFiles())) {
      assertThat(engine.get(key(0))).isEqualTo(first);
      assertThat(engine.get(key(1))).isEqualTo(version(1, "other"));
      assertThat(engine.stats().corruptRecords()).isEqualTo(1);
    }
  }

  @Test
  void aTornFinalWriteIsSkippedAndWritingCarriesOn() throws IOException {
    Siblings first = writeTwoVersionsOfKeyZeroLast();
    long last = lastPosition();
    // What a kill -9 inside the write leaves: the header still says "not complete", the tail unwritten.
    int header = readInt(last - 4);
    int length = header & 0x3FFFFFFF;
    writeInt(last - 4, header | NOT_COMPLETE);
    overwrite(last, length / 2, new byte[length - length / 2]);

    try (LogStorageEngine engine = open(directory, smallFiles())) {
      assertThat(engine.get(key(0))).isEqualTo(first);
      assertThat(engine.stats().corruptRecords()).isZero();
      engine.put(key(0), version(3, "after the crash"));
      engine.closeWithoutSnapshot();
    }
    try (LogStorageEngine engine = open(directory, smallFiles())) {
      assertThat(engine.get(key(0))).isEqualTo(version(3, "after the crash"));
      assertThat(engine.get(key(1))).isEqualTo(version(1, "other"));
    }
  }

  @Test
  void aFileTruncatedInsideItsLastRecordLosesOnlyThatRecord() throws IOException {
    Siblings first = writeTwoVersionsOfKeyZeroLast();
    long last = lastPosition();
    Path file = fileOf(last);

    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(CycleFiles.offset(last) + 5);
    }

    try (LogStorageEngine engine = open(directory, smallFiles())) {
      assertThat(engine.get(key(0))).isEqualTo(first);
      assertThat(engine.get(key(1))).isEqualTo(version(1, "other"));
      assertThat(engine.stats().corruptRecords()).isEqualTo(1);
    }
  }

  /**
   * A kill in the middle of a roll leaves a new file whose first header Chronicle never finished.
   * It holds no record; left in place, Chronicle would wait a second for its dead writer at every
   * read of it and move it aside as a {@code .discard} file. The engine deletes it at start instead.
   */
  @ParameterizedTest(name = "first bytes: {0}")
  @ValueSource(strings = {"none", "zeros", "header not complete"})
  void aFileCutOffWhileBeingCreatedIsDeletedAtStart(String firstBytes) throws IOException {
    writeTwoVersionsOfKeyZeroLast();
    Path log = directory.resolve("log");
    CycleFiles files = new CycleFiles(log);
    int newest = files.list().last();
    Path cutOff = files.fileOf(newest + 1);
    switch (firstBytes) {
      case "none" -> Files.createFile(cutOff);
      case "zeros" -> Files.write(cutOff, new byte[64 * 1024]);
      default -> Files.write(cutOff, ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN)
          .putInt(0, NOT_COMPLETE | 0x40000000 | 120).array());
    }

    try (LogStorageEngine engine = open(directory, smallFiles())) {
      assertThat(cutOff).doesNotExist();
      assertThat(engine.get(key(0))).isEqualTo(version(2, "second, to be damaged"));
      assertThat(engine.get(key(1))).isEqualTo(version(1, "other"));
      engine.put(key(0), version(3, "after the restart"));
      engine.closeWithoutSnapshot();
    }
    try (LogStorageEngine engine = open(directory, smallFiles())) {
      assertThat(engine.get(key(0))).isEqualTo(version(3, "after the restart"));
      assertThat(engine.stats().corruptRecords()).isZero();
    }
    try (var names = Files.list(log)) {
      assertThat(names.map(path -> path.getFileName().toString())).noneMatch(name -> name.contains("discard"));
    }
    assertThat(files.list()).contains(newest);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void snapshotPlusTailRecoveryEqualsFullScanRecovery(boolean compactAfterTheSnapshot) {
    Random random = new Random(42);
    Map<Key, Siblings> expected = new HashMap<>();
    Map<Key, Long> counters = new HashMap<>();
    try (LogStorageEngine engine = open(directory, smallFiles())) {
      churn(engine, random, 1500, expected, counters);
      engine.snapshotNow();
      churn(engine, random, 1500, expected, counters);
      if (compactAfterTheSnapshot) {
        assertThat(engine.compactNow()).isTrue(); // deletes files the snapshot points into
      }
      churn(engine, random, 800, expected, counters);
      engine.closeWithoutSnapshot();
    }
    Path fullScan = scratch.resolve("full-scan");
    Fixtures.copyTree(directory, fullScan);
    assertThat(fullScan.resolve(IndexSnapshot.FILE)).exists();
    fullScan.resolve(IndexSnapshot.FILE).toFile().delete();

    try (LogStorageEngine fromSnapshot = open(directory, smallFiles());
        LogStorageEngine fromLog = open(fullScan, smallFiles())) {
      LogStorageStats snapshotStats = fromSnapshot.stats();
      LogStorageStats logStats = fromLog.stats();
      assertThat(snapshotStats.recoveredFromSnapshot()).isTrue();
      assertThat(logStats.recoveredFromSnapshot()).isFalse();
      if (!compactAfterTheSnapshot) {
        assertThat(snapshotStats.recordsReplayed()).as("only what followed the snapshot")
            .isEqualTo(logStats.recordsReplayed() - 1500);
      }
      SortedMap<Long, Integer> index = fromSnapshot.indexedPositions();
      assertThat(index).isEqualTo(fromLog.indexedPositions());
      assertThat(contents(fromSnapshot)).isEqualTo(expected).isEqualTo(contents(fromLog));
      assertThat(snapshotStats.logBytes()).isEqualTo(logStats.logBytes());
      assertThat(snapshotStats.liveBytes()).isEqualTo(logStats.liveBytes());
    }
  }

  @Test
  void aSnapshotThatNoLongerMatchesThePartitionerOrIsDamagedIsIgnored() throws IOException {
    Map<Key, Siblings> expected = new HashMap<>();
    try (LogStorageEngine engine = open(directory, smallFiles())) {
      for (int i = 0; i < 100; i++) {
        expected.put(key(i), engine.put(key(i), version(1, "v" + i)));
      }
    }
    try (LogStorageEngine engine = (LogStorageEngine) LogStorageEngines.open(
        new StorageSettings(directory, key -> 3, smallFiles()))) {
      assertThat(engine.stats().recoveredFromSnapshot()).as("partitioner changed").isFalse();
      Map<Key, Siblings> seen = new HashMap<>();
      engine.forEachInPartition(3, seen::put);
      assertThat(seen).isEqualTo(expected);
    }
    Path snapshot = directory.resolve(IndexSnapshot.FILE);
    byte[] bytes = Files.readAllBytes(snapshot);
    bytes[bytes.length / 2] ^= 1;
    Files.write(snapshot, bytes);
    try (LogStorageEngine engine = open(directory, smallFiles())) {
      assertThat(engine.stats().recoveredFromSnapshot()).as("damaged snapshot").isFalse();
      assertThat(contents(engine)).isEqualTo(expected);
    }
  }

  @Test
  void startUpIsFastFromACleanClose() {
    try (LogStorageEngine engine = open(directory, smallFiles())) {
      for (int i = 0; i < 300; i++) {
        engine.put(key(i), version(1, "v" + i));
      }
    }
    try (LogStorageEngine engine = open(directory, smallFiles())) {
      LogStorageStats stats = engine.stats();
      assertThat(stats.recoveredFromSnapshot()).isTrue();
      assertThat(stats.recordsReplayed()).isZero();
      assertThat(engine.keyCount()).isEqualTo(300);
    }
  }

  /** Random puts (superseding) and removals over 300 keys, tracked in {@code expected}. */
  static void churn(LogStorageEngine engine, Random random, int operations, Map<Key, Siblings> expected,
      Map<Key, Long> counters) {
    for (int i = 0; i < operations; i++) {
      Key key = key(random.nextInt(300));
      if (random.nextInt(8) == 0 && expected.containsKey(key)) {
        assertThat(engine.removeIfEquals(key, expected.remove(key))).isTrue();
        counters.remove(key);
      } else {
        long counter = counters.merge(key, 1L, Long::sum);
        expected.put(key, engine.put(key, version(counter, "value " + i + " ".repeat(random.nextInt(200)))));
      }
    }
  }

  private Siblings writeTwoVersionsOfKeyZeroLast() {
    try (LogStorageEngine engine = open(directory, smallFiles())) {
      Siblings first = engine.put(key(0), version(1, "first"));
      engine.put(key(1), version(1, "other"));
      engine.put(key(0), version(2, "second, to be damaged"));
      engine.closeWithoutSnapshot();
      return first;
    }
  }

  private long lastPosition() {
    try (LogStorageEngine engine = open(directory, smallFiles())) {
      long last = engine.indexedPositions().lastKey();
      engine.closeWithoutSnapshot();
      return last;
    }
  }

  private Path fileOf(long position) {
    return new CycleFiles(directory.resolve("log")).fileOf(CycleFiles.cycle(position));
  }

  private void overwrite(long position, int at, byte[] bytes) throws IOException {
    try (FileChannel channel = FileChannel.open(fileOf(position), StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(bytes), CycleFiles.offset(position) + at);
    }
  }

  private int readInt(long at) throws IOException {
    try (FileChannel channel = FileChannel.open(fileOf(at + 4), StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
      channel.read(buffer, CycleFiles.offset(at));
      return buffer.getInt(0);
    }
  }

  private void writeInt(long at, int value) throws IOException {
    try (FileChannel channel = FileChannel.open(fileOf(at + 4), StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value), CycleFiles.offset(at));
    }
  }
}
