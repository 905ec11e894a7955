package io.ringkv.storage.spi;

import io.ringkv.api.Key;
import io.ringkv.api.Siblings;
import java.util.function.UnaryOperator;

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

  /**
   * What {@code change} of {@link StorageEngine#update} makes of {@code stored}, checked: an engine
   * implementing {@code update} calls it under the key's lock.
   *
   * @throws IllegalStateException when the change returns null (a bug of the caller's: it returns
   *     {@link Siblings#empty()} to store nothing)
   */
  public static Siblings changed(Key key, UnaryOperator<Siblings> change, Siblings stored) {
    Siblings incoming = change.apply(stored);
    if (incoming == null) {
      throw new IllegalStateException("the change of update(" + key + ") returned null; it returns "
          + "Siblings.empty() to store nothing");
    }
    return incoming;
  }
}
