package io.ringkv.storage.log;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Dot;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import io.ringkv.storage.spi.KeyPartitioner;
import io.ringkv.storage.spi.StorageEngine;
import io.ringkv.storage.spi.StorageSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/** What the engine's tests share. */
final class Fixtures {
  static final int PARTITIONS = 8;
  static final KeyPartitioner PARTITIONER = key -> Math.floorMod(key.key().hashCode(), PARTITIONS);
  static final Actor WRITER = new Actor(NodeId.of("writer"), 1);

  private Fixtures() {
  }

  /** Small files so a test's writes span several; no periodic snapshots unless asked. */
  static Map<String, String> smallFiles(String... overrides) {
    Map<String, String> options = new HashMap<>(Map.of("sync", "none", "file.bytes", "64k", "block.bytes", "256k",
        "snapshot.interval.records", "0"));
    for (int i = 0; i < overrides.length; i += 2) {
      options.put(overrides[i], overrides[i + 1]);
    }
    return options;
  }

  static LogStorageEngine open(Path directory, Map<String, String> options) {
    return (LogStorageEngine) LogStorageEngines.open(new StorageSettings(directory, PARTITIONER, options));
  }

  /** Version {@code counter} of {@link #WRITER}, superseding every earlier one. */
  static Siblings version(long counter, String value) {
    VectorClock context = counter == 1 ? VectorClock.empty()
        : VectorClock.empty().with(new Dot(WRITER, counter - 1), 1000 + counter - 1);
    return Siblings.of(new Versioned<>(Bytes.utf8(value), new Dot(WRITER, counter), context, 1000 + counter, false));
  }

  static Key key(int i) {
    return Key.of("bucket", "key-" + i);
  }

  /** Every key with its siblings, over all partitions. */
  static Map<Key, Siblings> contents(StorageEngine engine) {
    Map<Key, Siblings> all = new HashMap<>();
    for (int p = 0; p < PARTITIONS; p++) {
      engine.forEachInPartition(p, all::put);
    }
    return all;
  }

  static void copyTree(Path from, Path to) {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path source : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
