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
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Starts every call of a {@link KvStore} on an executor, so a caller on a network event loop never
 * waits for the coordinator's local storage write (a durable engine may fsync before it returns).
 */
final class OffLoopKvStore implements KvStore {
  private final KvStore delegate;
  private final Executor executor;

  OffLoopKvStore(KvStore delegate, Executor executor) {
    this.delegate = delegate;
    this.executor = executor;
  }

  private <T> CompletableFuture<T> off(Supplier<CompletableFuture<T>> call) {
    return CompletableFuture.supplyAsync(call, executor).thenCompose(Function.identity());
  }

  @Override
  public CompletableFuture<GetResult> get(Key key, RequestOptions options) {
    return off(() -> delegate.get(key, options));
  }

  @Override
  public CompletableFuture<PutResult> put(Key key, Context context, Bytes value, RequestOptions options) {
    return off(() -> delegate.put(key, context, value, options));
  }

  @Override
  public CompletableFuture<PutResult> delete(Key key, Context context, RequestOptions options) {
    return off(() -> delegate.delete(key, context, options));
  }
}
