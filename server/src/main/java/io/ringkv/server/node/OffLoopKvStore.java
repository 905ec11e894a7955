package io.ringkv.server.node;

import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.GetResult;
import io.ringkv.api.Key;
import io.ringkv.api.KvStore;
import io.ringkv.api.PutResult;
import io.ringkv.api.RequestOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Starts each call of a {@link KvStore} that may block on an executor, so a caller on a network
 * event loop never waits for the disk (an engine that syncs in its writes, a hint kept here for a
 * replica that is down); a call that does not block runs on the caller's thread, saving the two
 * thread hand-offs.
 */
final class OffLoopKvStore implements KvStore {
  private final KvStore delegate;
  private final Executor executor;
  private final BooleanSupplier readsInline;
  private final Predicate<Key> writeInline;

  /**
   * @param readsInline whether a get runs without blocking now
   * @param writeInline whether a put or delete of the key runs without blocking
   */
  OffLoopKvStore(KvStore delegate, Executor executor, BooleanSupplier readsInline,
      Predicate<Key> writeInline) {
    this.delegate = delegate;
    this.executor = executor;
    this.readsInline = readsInline;
    this.writeInline = writeInline;
  }

  private <T> CompletableFuture<T> call(boolean inline, Supplier<CompletableFuture<T>> call) {
    if (inline) {
      try {
        return call.get();
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    return CompletableFuture.supplyAsync(call, executor).thenCompose(Function.identity());
  }

  @Override
  public CompletableFuture<GetResult> get(Key key, RequestOptions options) {
    return call(readsInline.getAsBoolean(), () -> delegate.get(key, options));
  }

  @Override
  public CompletableFuture<PutResult> put(Key key, Context context, Bytes value, RequestOptions options) {
    return call(writeInline.test(key), () -> delegate.put(key, context, value, options));
  }

  @Override
  public CompletableFuture<PutResult> delete(Key key, Context context, RequestOptions options) {
    return call(writeInline.test(key), () -> delegate.delete(key, context, options));
  }
}
