package io.ringkv.storage.spi;

/** The built-in engines of this module. */
public final class StorageEngines {
  /** The name of the in-memory engine. */
  public static final String MEMORY = "memory";

  private static final StorageEngineFactory IN_MEMORY_FACTORY = new StorageEngineFactory() {
    @Override
    public String name() {
      return MEMORY;
    }

    @Override
    public StorageEngine create(StorageSettings settings) {
      if (settings == null) {
        throw new IllegalArgumentException("the " + MEMORY + " storage engine needs settings, got null");
      }
      java.util.Set<String> unknown = new java.util.TreeSet<>(settings.options().keySet());
      unknown.remove(SYNC);
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException("the " + MEMORY + " storage engine takes no options but "
            + SYNC + " (which it ignores: it has nothing to sync); got " + unknown);
      }
      return new InMemoryStorageEngine(settings.partitioner());
    }

    @Override
    public String toString() {
      return "StorageEngineFactory[" + MEMORY + "]";
    }
  };

  private StorageEngines() {
  }

  /** A new, empty engine that keeps everything in memory (nothing survives {@code close}). */
  public static StorageEngine inMemory(KeyPartitioner partitioner) {
    if (partitioner == null) {
      throw new IllegalArgumentException("the " + MEMORY + " storage engine needs a key partitioner, got null");
    }
    return new InMemoryStorageEngine(partitioner);
  }

  /**
   * The node-wide durability option every engine is given ({@code storage.sync}); engines that
   * cannot sync, like the in-memory one, accept and ignore it.
   */
  public static final String SYNC = "sync";

  /** The factory of the in-memory engine, named {@value #MEMORY}; it takes no option but {@value #SYNC}. */
  public static StorageEngineFactory inMemoryFactory() {
    return IN_MEMORY_FACTORY;
  }
}
