package io.ringkv.storage.log;

import static io.ringkv.storage.log.Fixtures.key;
import static io.ringkv.storage.log.Fixtures.open;
import static io.ringkv.storage.log.Fixtures.smallFiles;
import static io.ringkv.storage.log.Fixtures.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Dot;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
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

      assertThat(engine.maxBytesPerKey()).isEqualTo(256 * 1024 / 4 - 64);
      assertThatThrownBy(() -> engine.put(key(1), tooLarge))
          .isInstanceOfSatisfying(RingkvException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE))
          .hasMessageContaining("block.bytes").hasMessageContaining("nothing was stored");
      assertThat(engine.get(key(1))).isEqualTo(version(1, "small"));
      engine.put(key(1), version(2, "still writable"));
      assertThat(engine.get(key(1))).isEqualTo(version(2, "still writable"));
    }
    try (LogStorageEngine engine = open(directory, smallFiles())) {
      assertThat(engine.get(key(1))).isEqualTo(version(2, "still writable"));
    }
  }

  @Test
  void siblingsThatOutgrowTheLimitTogetherAreRefusedUntilAPutReplacesThem() {
    byte[] third = new byte[25_000];
    try (LogStorageEngine engine = open(directory, smallFiles())) {
      // Three concurrent writers, each within the limit; the third makes the set too large.
      engine.put(key(1), concurrent("a", third));
      Siblings stored = engine.put(key(1), concurrent("b", third));
      assertThat(stored.size()).isEqualTo(2);
      assertThatThrownBy(() -> engine.put(key(1), concurrent("c", third)))
          .isInstanceOfSatisfying(RingkvException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE))
          .hasMessageContaining("3 sibling versions").hasMessageContaining("context");
      assertThat(engine.get(key(1))).isEqualTo(stored);

      // A put that read both siblings replaces them, and fits.
      Actor c = new Actor(NodeId.of("c"), 1);
      Siblings resolved = Siblings.of(new Versioned<>(Bytes.of(third), new Dot(c, 1), stored.clock(), 5, false));
      assertThat(engine.put(key(1), resolved)).isEqualTo(resolved);
    }
  }

  private static Siblings concurrent(String writer, byte[] value) {
    return Siblings.of(new Versioned<>(Bytes.of(value), new Dot(new Actor(NodeId.of(writer), 1), 1),
        VectorClock.empty(), 1, false));
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
