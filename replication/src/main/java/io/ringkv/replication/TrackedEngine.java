package io.ringkv.replication;

import io.ringkv.api.Key;
import io.ringkv.api.Siblings;
import io.ringkv.ring.Token;
import io.ringkv.storage.spi.StorageEngine;
import io.ringkv.storage.spi.Write;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The storage engine as the replication layer writes it: every write (a coordinated put, a
 * replica write, read repair, a hint handed off, an anti-entropy repair) and every reap goes
 * through here ({@link #put}, {@link #write} or {@link #update}) and updates this node's {@link MerkleTrees} with what the engine now holds. The
 * engine's write and the tree update run under one lock of 1 024 stripes by key token, so two
 * racing writes of a key leave the tree with what the engine kept last.
 */
final class TrackedEngine implements StorageEngine {
  private final StorageEngine engine;
  private final MerkleTrees trees;
  private final Stripes stripes = new Stripes();

  TrackedEngine(StorageEngine engine, MerkleTrees trees) {
    this.engine = engine;
    this.trees = trees;
  }

  /** Rebuilds every partition's trees from the engine (at start). */
  void rebuildTrees() {
    for (int p = 0; p < trees.partitions(); p++) {
      trees.rebuild(p, engine, stripes);
    }
  }

  @Override
  public String name() {
    return engine.name();
  }

  @Override
  public Siblings get(Key key) {
    return engine.get(key);
  }

  @Override
  public Siblings put(Key key, Siblings incoming) {
    long token = Token.of(key).value(); // once: for the stripe and for the tree
    synchronized (stripes.of(token)) {
      Siblings stored = engine.put(key, incoming);
      if (!incoming.isEmpty()) {
        trees.set(key, token, stored);
      }
      return stored;
    }
  }

  @Override
  public boolean nonBlocking() {
    return engine.nonBlocking();
  }

  @Override
  public Write write(Key key, Siblings incoming) {
    long token = Token.of(key).value();
    synchronized (stripes.of(token)) {
      Write written = engine.write(key, incoming);
      if (!incoming.isEmpty()) {
        trees.set(key, token, written.stored());
      }
      return written;
    }
  }

  @Override
  public Write update(Key key, UnaryOperator<Siblings> change) {
    long token = Token.of(key).value();
    synchronized (stripes.of(token)) {
      Write written = engine.update(key, change);
      trees.set(key, token, written.stored());
      return written;
    }
  }

  @Override
  public long maxBytesPerKey() {
    return engine.maxBytesPerKey();
  }

  @Override
  public boolean removeIfEquals(Key key, Siblings expected) {
    long token = Token.of(key).value();
    synchronized (stripes.of(token)) {
      boolean removed = engine.removeIfEquals(key, expected);
      if (removed) {
        trees.set(key, token, Siblings.empty());
      }
      return removed;
    }
  }

  @Override
  public void forEachInPartition(int partition, BiConsumer<Key, Siblings> action) {
    engine.forEachInPartition(partition, action);
  }

  @Override
  public void forEachKeyInPartition(int partition, Consumer<Key> action) {
    engine.forEachKeyInPartition(partition, action);
  }

  @Override
  public long keyCount() {
    return engine.keyCount();
  }

  /** The engine's owner closes it; closing this view does nothing. */
  @Override
  public void close() {}

  /** The engine behind this view. */
  StorageEngine engine() {
    return engine;
  }

  /** Per-key locks, striped by token. */
  static final class Stripes {
    private static final int COUNT = 1024;
    private final Object[] locks = new Object[COUNT];

    Stripes() {
      for (int i = 0; i < COUNT; i++) {
        locks[i] = new Object();
      }
    }

    Object of(Key key) {
      return of(Token.of(key).value());
    }

    Object of(long token) {
      return locks[(int) (token & (COUNT - 1))];
    }
  }
}
