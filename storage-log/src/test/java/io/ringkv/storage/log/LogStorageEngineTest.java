package io.ringkv.storage.log;

import static io.ringkv.storage.log.Fixtures.key;
import static io.ringkv.storage.log.Fixtures.open;
import static io.ringkv.storage.log.Fixtures.smallFiles;
import static io.ringkv.storage.log.Fixtures.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.Bytes;
import io.ringkv.api.Dot;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import io.ringkv.storage.spi.StorageEngine;
import io.ringkv.storage.spi.StorageEngines;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's own rules beyond the storage contract. */
class LogStorageEngineTest {
  @TempDir
  Path directory;

  @Test
  void oneFolderTakesOneOpenEngine() {
    try (LogStorageEngine engine = open(directory, smallFiles())) {
      engine.put(key(1), version(1, "v"));

      assertThatThrownBy(() -> open(directory, smallFiles()))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("in use by another open engine");
    }
    try (LogStorageEngine engine = open(directory, smallFiles())) {
      assertThat(engine.get(key(1))).isEqualTo(version(1, "v"));
    }
  }

  @Test
  void aSiblingSetTooLargeForOneRecordIsRefusedAndNothingChanges() {
    byte[] big = new byte[70_000]; // a quarter of the 256 KiB block is the limit
    Siblings tooLarge = Siblings.of(new Versioned<>(Bytes.of(big), new Dot(Fixtures.WRITER, 2),
        VectorClock.empty().with(new Dot(Fixtures.WRITER, 1), 1), 1, false));
    try (LogStorageEngine engine = open(directory, smallFiles())) {
      engine.put(key(1), version(1, "small"));

      assertThatThrownBy(() -> engine.put(key(1), tooLarge))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("block.bytes");
      assertThat(engine.get(key(1))).isEqualTo(version(1, "small"));
    }
  }

  @Test
  void statsDescribeTheLogAndOnlyALogEngineHasThem() {
    try (LogStorageEngine engine = open(directory, smallFiles());
        StorageEngine memory = StorageEngines.inMemory(Fixtures.PARTITIONER)) {
      for (int i = 0; i < 10; i++) {
        engine.put(key(i), version(1, "v"));
      }
      engine.put(key(0), version(2, "w"));

      LogStorageStats stats = LogStorageEngines.stats(engine).orElseThrow();
      assertThat(stats.keys()).isEqualTo(10);
      assertThat(stats.logFiles()).isEqualTo(1);
      assertThat(stats.logBytes()).isGreaterThan(stats.liveBytes());
      assertThat(stats.indexBytesPerKey()).isPositive();
      assertThat(stats.corruptRecords()).isZero();
      assertThat(LogStorageEngines.stats(memory)).isEmpty();
    }
  }

  @Test
  void aPutThatChangesNothingAppendsNothing() {
    try (LogStorageEngine engine = open(directory, smallFiles())) {
      engine.put(key(1), version(2, "v2"));
      long bytes = engine.stats().logBytes();

      assertThat(engine.put(key(1), version(2, "v2"))).isEqualTo(version(2, "v2"));
      assertThat(engine.put(key(1), version(1, "older"))).isEqualTo(version(2, "v2"));
      assertThat(engine.stats().logBytes()).isEqualTo(bytes);
    }
  }
}
