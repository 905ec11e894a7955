package io.ringkv.storage.log;

import static io.ringkv.storage.log.Fixtures.contents;
import static io.ringkv.storage.log.Fixtures.key;
import static io.ringkv.storage.log.Fixtures.smallFiles;
import static io.ringkv.storage.log.Fixtures.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.Key;
import io.ringkv.api.RingkvException;
import io.ringkv.api.Siblings;
import io.ringkv.storage.spi.StorageSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, played by a stand-in for the file system that reports no space while {@link #full}
 * is set (the real thing, a small tmpfs filled up, is {@code DiskFullIT}). Writes are refused with
 * {@link ErrorCode#STORAGE_FULL} before a byte is written; reads go on; nothing acknowledged is lost;
 * writes resume when space comes back.
 */
class DiskFullTest {
  @TempDir
  Path directory;

  private volatile boolean full;

  private final FileWarmer.Disk disk = new FileWarmer.Disk() {
    @Override
    public FileWarmer.Reserved reserve(Path file, long from, long to) {
      return full ? FileWarmer.Reserved.NO_SPACE : FileWarmer.FILE_SYSTEM.reserve(file, from, to);
    }

    @Override
    public long usableBytes(Path dir) throws IOException {
      return full ? 0 : FileWarmer.FILE_SYSTEM.usableBytes(dir);
    }
  };

  private LogStorageEngine open(Map<String, String> options) {
    return new LogStorageEngine(new StorageSettings(directory, Fixtures.PARTITIONER, options),
        LogOptions.parse(options), disk);
  }

  @Test
  void writesAreRefusedWhileTheDiskIsFullAndResumeAfter() {
    Map<Key, Siblings> expected = new HashMap<>();
    Map<Key, Long> counters = new HashMap<>();
    try (LogStorageEngine engine = open(smallFiles())) {
      RecoveryTest.churn(engine, new Random(1), 500, expected, counters);
      long keys = engine.keyCount();
      Siblings before = engine.get(key(3));

      full = true;
      // The puts within what was reserved before still succeed; the first that needs more is refused.
      assertThatThrownBy(() -> fill(engine, expected))
          .isInstanceOfSatisfying(RingkvException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_FULL))
          .hasMessageContaining("no space left").hasMessageContaining("nothing was stored");
      assertThat(engine.get(key(3))).as("reads go on").isEqualTo(before);
      assertThat(engine.keyCount()).isGreaterThanOrEqualTo(keys);
      assertThat(contents(engine)).isEqualTo(expected);

      full = false;
      RecoveryTest.churn(engine, new Random(2), 500, expected, counters);
      assertThat(contents(engine)).isEqualTo(expected);
      engine.closeWithoutSnapshot();
    }
    try (LogStorageEngine engine = open(smallFiles())) {
      assertThat(contents(engine)).isEqualTo(expected);
      assertThat(engine.stats().corruptRecords()).isZero();
    }
  }

  @Test
  void aNewFileIsNotStartedOnAFullDisk() {
    full = true;
    try (LogStorageEngine engine = open(smallFiles())) {
      assertThatThrownBy(() -> engine.put(key(1), version(1, "first")))
          .isInstanceOfSatisfying(RingkvException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_FULL));
      assertThat(engine.get(key(1))).isEqualTo(Siblings.empty());
      assertThat(new CycleFiles(directory.resolve("log")).list()).as("no file was created").isEmpty();

      full = false;
      engine.put(key(1), version(1, "first"));
      assertThat(engine.get(key(1))).isEqualTo(version(1, "first"));
    }
  }

  @Test
  void aCompactionThatFindsTheDiskFullKeepsItsFiles() {
    Map<Key, Siblings> expected = new HashMap<>();
    Map<Key, Long> counters = new HashMap<>();
    try (LogStorageEngine engine = open(smallFiles("compaction.threshold", "1"))) {
      RecoveryTest.churn(engine, new Random(3), 3000, expected, counters);
      var before = new CycleFiles(directory.resolve("log")).list();

      full = true;
      assertThatThrownBy(engine::compactNow).hasRootCauseInstanceOf(RingkvException.class)
          .rootCause().hasMessageContaining("no space left");
      full = false;

      assertThat(new CycleFiles(directory.resolve("log")).list()).containsAll(before);
      assertThat(contents(engine)).isEqualTo(expected);
      assertThat(engine.compactNow()).as("once there is space again").isTrue();
      assertThat(contents(engine)).isEqualTo(expected);
      engine.closeWithoutSnapshot();
    }
    try (LogStorageEngine engine = open(smallFiles())) {
      assertThat(contents(engine)).isEqualTo(expected);
    }
  }

  /** Puts until the disk is needed; the first refused put throws out of here. */
  private static void fill(LogStorageEngine engine, Map<Key, Siblings> expected) {
    for (int i = 0; i < 100_000; i++) {
      Key key = key(200_000 + i);
      Siblings value = version(1, "y".repeat(1000));
      engine.put(key, value);
      expected.put(key, value);
    }
  }
}
