package io.ringkv.testkit.sim;

import io.ringkv.api.Key;
import io.ringkv.api.Siblings;
import io.ringkv.storage.spi.StorageEngine;
import io.ringkv.storage.spi.Write;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** Passes everything through to an engine and reports each successful tombstone reap. */
final class ReapObservingEngine implements StorageEngine {
  private final StorageEngine delegate;
  private final BiConsumer<Key, Siblings> onReap;

  ReapObservingEngine(StorageEngine delegate, BiConsumer<Key, Siblings> onReap) {
    this.delegate = delegate;
    this.onReap = onReap;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public Siblings get(Key key) {
    return delegate.get(key);
  }

  @Override
  public Siblings put(Key key, Siblings incoming) {
    return delegate.put(key, incoming);
  }

  @Override
  public boolean nonBlocking() {
    return delegate.nonBlocking();
  }

  @Override
  public Write write(Key key, Siblings incoming) {
    return delegate.write(key, incoming);
  }

  @Override
  public Write update(Key key, UnaryOperator<Siblings> change) {
    return delegate.update(key, change);
  }

  @Override
  public boolean removeIfEquals(Key key, Siblings expected) {
    boolean removed = delegate.removeIfEquals(key, expected);
    if (removed) {
      onReap.accept(key, expected);
    }
    return removed;
  }

  @Override
  public void forEachInPartition(int partition, BiConsumer<Key, Siblings> action) {
    delegate.forEachInPartition(partition, action);
  }

  @Override
  public void forEachKeyInPartition(int partition, Consumer<Key> action) {
    delegate.forEachKeyInPartition(partition, action);
  }

  @Override
  public long keyCount() {
    return delegate.keyCount();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
