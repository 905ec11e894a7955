package io.ringkv.storage.spi;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What an engine is opened with.
 *
 * @param directory the engine's own folder (engines that keep nothing on disk ignore it)
 * @param partitioner how keys map to partitions, for {@link StorageEngine#forEachInPartition}
 * @param options engine-specific settings ({@code storage.<engine>.*} with the prefix removed);
 *     copied, sorted and unmodifiable
 */
public record StorageSettings(Path directory, KeyPartitioner partitioner, Map<String, String> options) {
  public StorageSettings {
    if (directory == null) {
      throw new IllegalArgumentException("storage settings need a directory, got null");
    }
    if (partitioner == null) {
      throw new IllegalArgumentException("storage settings need a key partitioner, got null");
    }
    if (options == null) {
      throw new IllegalArgumentException("storage options must not be null (use an empty map)");
    }
    TreeMap<String, String> copy = new TreeMap<>();
    options.forEach((name, value) -> {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("storage option name '" + name + "' is invalid: it must not be blank");
      }
      if (value == null) {
        throw new IllegalArgumentException("storage option '" + name + "' has no value: values must not be null");
      }
      copy.put(name, value);
    });
    options = Collections.unmodifiableSortedMap(copy);
  }

  /** Settings without options. */
  public static StorageSettings of(Path directory, KeyPartitioner partitioner) {
    return new StorageSettings(directory, partitioner, Map.of());
  }

  /** The value of option {@code name}, if set. */
  public Optional<String> option(String name) {
    return Optional.ofNullable(options.get(name));
  }
}
