package io.ringkv.benchmarks;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Dot;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import io.ringkv.storage.log.LogStorageEngines;
import io.ringkv.storage.spi.KeyPartitioner;
import io.ringkv.storage.spi.StorageEngine;
import io.ringkv.storage.spi.StorageEngines;
import io.ringkv.storage.spi.StorageSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** What the storage benchmarks share: the engines, the keys and the versions they write. */
final class Engines {
  static final KeyPartitioner PARTITIONER = key -> Math.floorMod(key.key().hashCode(), 64);
  static final Actor WRITER = new Actor(NodeId.of("bench-node:7000"), 1);

  private Engines() {
  }

  /**
   * {@code memory}; {@code log} ({@code sync=none}, every other option at its default);
   * {@code log-compaction-0.5} (the same with {@code compaction.threshold=0.5}, the previous
   * default: less disk, more copying); or {@code log-no-compaction} (the same with
   * {@code compaction.threshold=1}, so compaction never starts: the append path alone).
   */
  static StorageEngine open(String engine, Path directory) {
    switch (engine) {
      case "memory":
        return StorageEngines.inMemory(PARTITIONER);
      case "log":
        return LogStorageEngines.open(new StorageSettings(directory, PARTITIONER, Map.of("sync", "none")));
      case "log-compaction-0.5":
        return LogStorageEngines.open(new StorageSettings(directory, PARTITIONER,
            Map.of("sync", "none", "compaction.threshold", "0.5")));
      case "log-no-compaction":
        return LogStorageEngines.open(new StorageSettings(directory, PARTITIONER,
            Map.of("sync", "none", "compaction.threshold", "1")));
      default:
        throw new IllegalArgumentException("engine '" + engine
            + "' is unknown; known: memory, log, log-compaction-0.5, log-no-compaction");
    }
  }

  static Key key(int i) {
    return Key.of("bench", "user" + i);
  }

  static Bytes value(int bytes) {
    byte[] value = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      value[i] = (byte) (i * 31);
    }
    return Bytes.of(value);
  }

  /** Version {@code counter} of a key, superseding version {@code counter - 1} (an update after a read). */
  static Siblings version(Bytes value, long counter) {
    VectorClock context = counter == 1 ? VectorClock.empty()
        : VectorClock.empty().with(new Dot(WRITER, counter - 1), counter - 1);
    return Siblings.of(new Versioned<>(value, new Dot(WRITER, counter), context, counter, false));
  }

  static Path temporaryFolder(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void delete(Path directory) {
    if (directory == null || !Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
