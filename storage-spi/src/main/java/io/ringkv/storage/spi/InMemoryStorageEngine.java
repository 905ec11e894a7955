package io.ringkv.storage.spi;

import io.ringkv.api.Key;
import io.ringkv.api.Siblings;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every key's {@link Siblings} in a {@link ConcurrentHashMap}. Each write runs inside the
 * map's per-key {@code compute}, which also keeps the per-partition key index in step: a key
 * enters its partition's index when it is first stored and leaves it when it is removed, both
 * under the same per-key lock. Siblings are immutable, so sharing them with callers is safe.
 */
final class InMemoryStorageEngine implements StorageEngine {
  private static final Logger LOG = LoggerFactory.getLogger(InMemoryStorageEngine.class);

  private final KeyPartitioner partitioner;
  private final ConcurrentHashMap<Key, Siblings> data = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Integer, Set<Key>> partitions = new ConcurrentHashMap<>();
  private volatile boolean closed;

  InMemoryStorageEngine(KeyPartitioner partitioner) {
    this.partitioner = partitioner;
    LOG.debug("opened the {} storage engine", name());
  }

  @Override
  public String name() {
    return StorageEngines.MEMORY;
  }

  @Override
  public Siblings get(Key key) {
    checkOpen();
    Siblings stored = data.get(requireKey(key));
    return stored == null ? Siblings.empty() : stored;
  }

  @Override
  public Siblings put(Key key, Siblings incoming) {
    checkOpen();
    requireKey(key);
    if (incoming == null) {
      throw new IllegalArgumentException("put of " + key + " needs a sibling set, got null");
    }
    if (incoming.isEmpty()) {
      return get(key);
    }
    int partition = partitionOf(key);
    return data.compute(key, (k, stored) -> {
      if (stored == null) {
        partitions.computeIfAbsent(partition, p -> ConcurrentHashMap.newKeySet()).add(k);
        return incoming;
      }
      return stored.merge(incoming);
    });
  }

  /** Nothing here waits: every method works on the map. */
  @Override
  public boolean nonBlocking() {
    return true;
  }

  /** The read, the change and the merge run in the map's per-key {@code compute}. */
  @Override
  public Write update(Key key, UnaryOperator<Siblings> change) {
    checkOpen();
    requireKey(key);
    if (change == null) {
      throw new IllegalArgumentException("update of " + key + " needs a change, got null");
    }
    int partition = partitionOf(key);
    Siblings[] result = {Siblings.empty()};
    data.compute(key, (k, stored) -> {
      Siblings incoming = StorageEngines.changed(k, change, stored == null ? Siblings.empty() : stored);
      if (incoming.isEmpty()) {
        result[0] = stored == null ? Siblings.empty() : stored;
        return stored;
      }
      if (stored == null) {
        partitions.computeIfAbsent(partition, p -> ConcurrentHashMap.newKeySet()).add(k);
        result[0] = incoming;
        return incoming;
      }
      result[0] = stored.merge(incoming);
      return result[0];
    });
    return Write.durable(result[0]);
  }

  @Override
  public boolean removeIfEquals(Key key, Siblings expected) {
    checkOpen();
    requireKey(key);
    if (expected == null) {
      throw new IllegalArgumentException("removeIfEquals of " + key + " needs the expected sibling set, got null");
    }
    int partition = partitionOf(key);
    boolean[] removed = {false};
    data.computeIfPresent(key, (k, stored) -> {
      if (!stored.equals(expected)) {
        return stored;
      }
      Set<Key> index = partitions.get(partition);
      if (index != null) {
        index.remove(k);
      }
      removed[0] = true;
      return null;
    });
    return removed[0];
  }

  @Override
  public void forEachInPartition(int partition, BiConsumer<Key, Siblings> action) {
    checkOpen();
    if (action == null) {
      throw new IllegalArgumentException("forEachInPartition(" + partition + ") needs an action, got null");
    }
    Set<Key> index = partitions.get(partition);
    if (index == null) {
      return;
    }
    // The key set view of a ConcurrentHashMap is weakly consistent: no CME, maybe not the latest.
    for (Key key : index) {
      Siblings stored = data.get(key);
      if (stored != null) {
        action.accept(key, stored);
      }
    }
  }

  @Override
  public long keyCount() {
    checkOpen();
    return data.mappingCount();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    LOG.debug("closed the {} storage engine ({} keys dropped)", name(), data.mappingCount());
    data.clear();
    partitions.clear();
  }

  @Override
  public String toString() {
    return "InMemoryStorageEngine[" + (closed ? "closed" : data.mappingCount() + " keys") + "]";
  }

  private int partitionOf(Key key) {
    int partition = partitioner.partitionOf(key);
    if (partition < 0) {
      throw new IllegalArgumentException("the key partitioner put " + key + " in partition "
          + partition + "; partitions must be >= 0");
    }
    return partition;
  }

  private static Key requireKey(Key key) {
    if (key == null) {
      throw new IllegalArgumentException("key must not be null");
    }
    return key;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the " + name() + " storage engine is closed");
    }
  }
}
