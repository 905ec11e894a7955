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
      if (!settings.options().isEmpty()) {
        throw new IllegalArgumentException("the " + MEMORY + " storage engine takes no options; got "
            + settings.options().keySet());
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

  /** The factory of the in-memory engine, named {@value #MEMORY}; it takes no options. */
  public static StorageEngineFactory inMemoryFactory() {
    return IN_MEMORY_FACTORY;
  }
}
