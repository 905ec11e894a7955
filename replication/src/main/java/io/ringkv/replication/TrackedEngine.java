package io.ringkv.replication;

import io.ringkv.api.Key;
import io.ringkv.api.Siblings;
import io.ringkv.ring.Token;
import io.ringkv.storage.spi.StorageEngine;
import io.ringkv.storage.spi.Write;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
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
  /** How long {@link #put} waits for its write's fsync, as the log engine's own put does. */
  private static final long DURABLE_WAIT_SECONDS = 60;

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

  /**
   * {@link #write}, then waits for its durability outside the stripe lock, so no other write of
   * the stripe (some on a network thread) waits for this one's fsync.
   */
  @Override
  public Siblings put(Key key, Siblings incoming) {
    Write written = write(key, incoming);
    try {
      written.durable().get(DURABLE_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r
          : new IllegalStateException("the write of " + key + " is not durable", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the write of " + key + " was not made durable within "
          + DURABLE_WAIT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the write of " + key, e);
    }
    return written.stored();
  }

  @Override
  public boolean nonBlocking() {
    return engine.nonBlocking();
  }

  @Override
  public Write write(Key key, Siblings incoming) {
    return tracked(key, !incoming.isEmpty(), () -> engine.write(key, incoming));
  }

  @Override
  public Write update(Key key, UnaryOperator<Siblings> change) {
    return tracked(key, true, () -> engine.update(key, change));
  }

  /** Runs the engine's write under the key's stripe and, when {@code track}, sets its tree leaf. */
  private Write tracked(Key key, boolean track, Supplier<Write> write) {
    long token = Token.of(key).value(); // once: for the stripe and for the tree
    synchronized (stripes.of(token)) {
      Write written = write.get();
      if (track) {
        trees.set(key, token, written.stored());
      }
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
