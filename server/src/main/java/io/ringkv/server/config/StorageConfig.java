package io.ringkv.server.config;

import io.ringkv.api.ConfigException;
import io.ringkv.storage.spi.StorageEngines;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The storage engine ({@code storage.engine}, picked by name among those bound), its folder
 * ({@code storage.dir}; each node uses a sub-folder named after its id) and its options
 * ({@code storage.<engine>.*}, prefix removed).
 */
public record StorageConfig(String engine, Path dir, Map<String, String> options) {
  /** What an embedded cluster uses: the in-memory engine, nothing on disk. */
  public static final StorageConfig EMBEDDED =
      new StorageConfig(StorageEngines.MEMORY, Path.of("data"), Map.of());

  public StorageConfig {
    if (engine == null || engine.isBlank()) {
      throw new ConfigException("storage.engine", engine, "must name a storage engine");
    }
    if (dir == null) {
      throw new ConfigException("storage.dir", null, "must name a folder");
    }
    if (options == null) {
      throw new ConfigException("storage." + engine + ".*", null,
          "the option map must not be null (use an empty map)");
    }
    options = Collections.unmodifiableSortedMap(new TreeMap<>(options));
  }
}
