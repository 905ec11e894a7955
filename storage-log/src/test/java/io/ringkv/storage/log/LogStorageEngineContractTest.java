package io.ringkv.storage.log;

import io.ringkv.storage.spi.StorageEngine;
import io.ringkv.storage.spi.StorageSettings;
import io.ringkv.testkit.storage.StorageEngineContractTest;
import java.util.Map;
import org.junit.jupiter.api.Nested;

/**
 * The storage contract, durability tests included, for each {@code sync} mode. Small log files
 * (64 KiB) make the suite's writes span several files.
 */
class LogStorageEngineContractTest extends StorageEngineContractTest {
  @Override
  protected StorageEngine createEngine(StorageSettings settings) {
    return LogStorageEngines.factory().create(settings);
  }

  @Override
  protected StorageEngine reopen(StorageEngine old, StorageSettings settings) {
    old.close();
    return createEngine(settings);
  }

  @Override
  protected Map<String, String> options() {
    return Map.of("sync", "batch", "file.bytes", "64k", "block.bytes", "256k");
  }

  @Nested
  class SyncNone extends StorageEngineContractTest {
    @Override
    protected StorageEngine createEngine(StorageSettings settings) {
      return LogStorageEngines.factory().create(settings);
    }

    @Override
    protected StorageEngine reopen(StorageEngine old, StorageSettings settings) {
      old.close();
      return createEngine(settings);
    }

    @Override
    protected Map<String, String> options() {
      return Map.of("sync", "none", "file.bytes", "64k", "block.bytes", "256k");
    }
  }

  @Nested
  class SyncAlways extends StorageEngineContractTest {
    @Override
    protected StorageEngine createEngine(StorageSettings settings) {
      return LogStorageEngines.factory().create(settings);
    }

    @Override
    protected StorageEngine reopen(StorageEngine old, StorageSettings settings) {
      old.close();
      return createEngine(settings);
    }

    @Override
    protected Map<String, String> options() {
      return Map.of("sync", "always", "file.bytes", "64k", "block.bytes", "256k");
    }
  }

  /** Reopening after a close without the final index snapshot: recovery scans the whole log. */
  @Nested
  class FullScanRecovery extends StorageEngineContractTest {
    @Override
    protected StorageEngine createEngine(StorageSettings settings) {
      return LogStorageEngines.factory().create(settings);
    }

    @Override
    protected StorageEngine reopen(StorageEngine old, StorageSettings settings) {
      ((LogStorageEngine) old).closeWithoutSnapshot();
      return createEngine(settings);
    }

    @Override
    protected Map<String, String> options() {
      return Map.of("sync", "none", "file.bytes", "64k", "block.bytes", "256k", "snapshot.interval.records", "0");
    }
  }
}
