package io.ringkv.server.node;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.ringkv.storage.log.LogStorageEngines;
import io.ringkv.storage.log.LogStorageStats;
import io.ringkv.storage.spi.StorageEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The node's storage on {@code /metrics}: keys and free disk space for any engine, and for the log
 * engine its files, live and dead bytes, index size, compactions, corrupt records and start-up
 * time. A scrape reads the engine's statistics at most once a second, however many meters ask.
 * The gauges hold this object strongly (which keeps it alive for the counters too, which can only
 * hold it weakly): with Micrometer's default weak reference it would be collected, and every meter
 * would read NaN from then on.
 */
final class StorageMetrics {
  private static final long REFRESH_NANOS = 1_000_000_000L;

  private final StorageEngine engine;
  private final Path dataDir;
  private LogStorageStats cached;
  private long cachedAt;

  private StorageMetrics(StorageEngine engine, Path dataDir) {
    this.engine = engine;
    this.dataDir = dataDir;
  }

  /** Registers the meters of {@code engine}, whose files are in {@code dataDir}, tagged with the engine's name. */
  static void bind(StorageEngine engine, Path dataDir, MeterRegistry registry) {
    StorageMetrics metrics = new StorageMetrics(engine, dataDir);
    Tags tags = Tags.of("engine", engine.name());
    Gauge.builder("ringkv.storage.keys", metrics, StorageMetrics::keys).tags(tags).strongReference(true)
        .description("Keys this node stores").register(registry);
    Gauge.builder("ringkv.storage.disk.free", metrics, StorageMetrics::freeBytes).tags(tags).strongReference(true)
        .baseUnit(BaseUnits.BYTES).description("Space left for this process on the storage folder's file system")
        .register(registry);
    if (LogStorageEngines.stats(engine).isEmpty()) {
      return;
    }
    logGauge(registry, tags, metrics, "ringkv.storage.log.files", null, "Log files on disk", LogStorageStats::logFiles);
    logGauge(registry, tags, metrics, "ringkv.storage.log.size", BaseUnits.BYTES, "Record bytes in the log files",
        LogStorageStats::logBytes);
    logGauge(registry, tags, metrics, "ringkv.storage.log.live", BaseUnits.BYTES,
        "Record bytes the index points to (the rest is dead until compacted)", LogStorageStats::liveBytes);
    logGauge(registry, tags, metrics, "ringkv.storage.log.disk", BaseUnits.BYTES,
        "Lengths of the log files (sparse: the disk may hold less)", LogStorageStats::diskBytes);
    logGauge(registry, tags, metrics, "ringkv.storage.index.size", BaseUnits.BYTES,
        "Heap bytes of the in-memory key index", LogStorageStats::indexBytes);
    logGauge(registry, tags, metrics, "ringkv.storage.recovery.duration", "seconds",
        "Time the engine took to open, recovery included", s -> s.recoveryMillis() / 1000.0);
    FunctionCounter.builder("ringkv.storage.compactions", metrics, m -> m.logStat(LogStorageStats::compactions))
        .tags(tags).description("Compactions since the node started").register(registry);
    FunctionCounter.builder("ringkv.storage.corrupt.records", metrics,
            m -> m.logStat(LogStorageStats::corruptRecords))
        .tags(tags).description("Records that failed their checks, at recovery or when read").register(registry);
  }

  private static void logGauge(MeterRegistry registry, Tags tags, StorageMetrics metrics, String name, String unit,
      String description, ToDoubleFunction<LogStorageStats> value) {
    Gauge.builder(name, metrics, m -> m.logStat(value)).tags(tags).strongReference(true).baseUnit(unit)
        .description(description).register(registry);
  }

  private double keys() {
    try {
      return engine.keyCount();
    } catch (IllegalStateException closed) {
      return Double.NaN;
    }
  }

  private double freeBytes() {
    try {
      return Files.getFileStore(dataDir).getUsableSpace();
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private synchronized double logStat(ToDoubleFunction<LogStorageStats> value) {
    long now = System.nanoTime();
    if (cached == null || now - cachedAt >= REFRESH_NANOS) {
      Optional<LogStorageStats> stats;
      try {
        stats = LogStorageEngines.stats(engine);
      } catch (IllegalStateException closed) {
        stats = Optional.empty();
      }
      if (stats.isEmpty()) {
        return Double.NaN;
      }
      cached = stats.get();
      cachedAt = now;
    }
    return value.applyAsDouble(cached);
  }
}
