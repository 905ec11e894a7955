package io.ringkv.storage.spi;

/** The built-in hint store of this module. */
public final class HintStores {
  private HintStores() {
  }

  /**
   * A new, empty hint store in memory: nothing survives {@code close} or the process. For the
   * in-memory engine and for tests; a durable engine offers a durable one
   * ({@link StorageEngineFactory#openHints}).
   */
  public static HintStore inMemory() {
    return new InMemoryHintStore();
  }
}
