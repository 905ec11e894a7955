package io.ringkv.testkit.storage;

import io.ringkv.storage.spi.HintStore;
import io.ringkv.storage.spi.HintStores;
import io.ringkv.storage.spi.StorageSettings;

/** The hint store contract for the in-memory store (its durability tests are skipped). */
class InMemoryHintStoreContractTest extends HintStoreContractTest {
  @Override
  protected HintStore createStore(StorageSettings settings) {
    return HintStores.inMemory();
  }
}
