package io.ringkv.testkit.storage;

import io.ringkv.storage.spi.StorageEngine;
import io.ringkv.storage.spi.StorageEngines;
import io.ringkv.storage.spi.StorageSettings;

/** The in-memory engine passes the storage contract; it is not durable, so reopen stays null. */
class InMemoryStorageEngineContractTest extends StorageEngineContractTest {
  @Override
  protected StorageEngine createEngine(StorageSettings settings) {
    return StorageEngines.inMemoryFactory().create(settings);
  }
}
