package io.ringkv.storage.spi;

import io.ringkv.api.Key;
import io.ringkv.api.Siblings;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Where a node keeps its replicas: for each key, the {@link Siblings} it holds. Every method is
 * safe to call from many threads; each write is atomic per key. After {@link #close()} every
 * other method throws {@link IllegalStateException} naming the engine.
 *
 * <p>Every engine passes {@code io.ringkv.testkit.storage.StorageEngineContractTest}.
 */
public interface StorageEngine extends AutoCloseable {
  /** The engine's name, as {@code storage.engine} selects it (for example {@code memory}). */
  String name();

  /** What is stored for the key; {@link Siblings#empty()} when nothing. */
  Siblings get(Key key);

  /**
   * Merges {@code incoming} into what is stored ({@link Siblings#merge}: keeps every version
   * whose dot no other version's context covers; a version already present or already covered
   * is a no-op), stores the result atomically per key, and returns it. An empty
   * {@code incoming} stores nothing and returns what is stored.
   *
   * @throws io.ringkv.api.RingkvException with {@link io.ringkv.api.ErrorCode#TOO_LARGE} when the
   *     merged set is over {@link #maxBytesPerKey()}; nothing is stored then
   */
  Siblings put(Key key, Siblings incoming);

  /**
   * {@link #put}, except that it may return before the write is durable: the merged set is stored
   * (and {@link #get} sees it) when this returns, and {@link Write#durable} completes once it is as
   * durable as {@code put} would have made it before returning. A caller that answers a client
   * only after {@code durable} completes promises as much as {@code put} does, without holding a
   * thread or a lock while the disk catches up. The default calls {@code put}.
   *
   * @throws io.ringkv.api.RingkvException as {@link #put} does; nothing is stored then
   */
  default Write write(Key key, Siblings incoming) {
    return Write.durable(put(key, incoming));
  }

  /**
   * Reads what is stored for the key, has {@code change} make the set to merge into it from that,
   * and merges and stores it as {@link #write} does, as one step: no other {@code update} of the
   * key runs between the read and the store, so {@code change} may derive what it returns from
   * what it was given (a coordinator issues its next dot for the key this way). {@code change}
   * runs once, under the key's lock: it must be quick and must not call this engine. An empty set
   * from it stores nothing.
   *
   * <p>The default holds a lock striped by engine and key around {@link #get} and {@link #write}:
   * atomic with respect to other {@code update} calls, which is all a caller may rely on. An engine
   * with its own per-key locks should do the read and the merge under one of them.
   *
   * @throws io.ringkv.api.RingkvException as {@link #put} does; nothing is stored then
   */
  default Write update(Key key, UnaryOperator<Siblings> change) {
    if (key == null || change == null) {
      throw new IllegalArgumentException("update needs a key and a change, got " + key + ", "
          + change);
    }
    synchronized (UpdateLocks.of(this, key)) {
      return write(key, StorageEngines.changed(key, change, get(key)));
    }
  }

  /**
   * Whether {@link #get}, {@link #write} and {@link #update} return without waiting for an
   * fsync, a lock held across I/O, or another thread's work (they may still read the page cache,
   * or fault in a page): a server then calls them on its network threads, which saves two thread
   * hand-offs per request. The default, false, has the server call every method from its storage
   * threads. An engine whose {@code write} is the default (a {@code put} that syncs) must leave it
   * false.
   */
  default boolean nonBlocking() {
    return false;
  }

  /**
   * The most bytes one key may take in this engine: its sibling set's values, their version
   * metadata and the key itself, as the engine encodes them. {@link Long#MAX_VALUE} (the default)
   * when the engine sets no limit. A server checks at start that the largest key and value it
   * accepts fit, with room for their metadata.
   */
  default long maxBytesPerKey() {
    return Long.MAX_VALUE;
  }

  /**
   * Removes the key only if what is stored equals {@code expected} (tombstone reaping once every
   * replica has the tombstone). Returns true when it removed the key.
   */
  boolean removeIfEquals(Key key, Siblings expected);

  /**
   * Calls {@code action} for every key of {@code partition} with its sibling set. Weakly
   * consistent under concurrent writes: never throws
   * {@link java.util.ConcurrentModificationException}, may or may not see concurrent changes.
   */
  void forEachInPartition(int partition, BiConsumer<Key, Siblings> action);

  /**
   * Calls {@code action} for every key of {@code partition}, as {@link #forEachInPartition} would
   * yield them, without their sibling sets: anti-entropy uses it to find the keys of a few tokens
   * without reading every value of the partition. The default reads the sets anyway; an engine
   * that keeps values apart from keys should do better. A key may be yielded that a concurrent
   * write just removed; {@link #get} then finds nothing.
   */
  default void forEachKeyInPartition(int partition, Consumer<Key> action) {
    if (action == null) {
      throw new IllegalArgumentException("forEachKeyInPartition(" + partition
          + ") needs an action, got null");
    }
    forEachInPartition(partition, (key, siblings) -> action.accept(key));
  }

  /** Number of keys stored. */
  long keyCount();

  /** Releases the engine's resources; closing twice is harmless. */
  @Override
  void close();
}
