package io.ringkv.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.GetResult;
import io.ringkv.api.Key;
import io.ringkv.api.KvStore;
import io.ringkv.api.PutResult;
import io.ringkv.api.RequestOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which calls run on the caller's thread and which on the executor. */
class OffLoopKvStoreTest {
  private final ExecutorService executor = Executors.newSingleThreadExecutor(
      r -> new Thread(r, "storage-thread"));
  private final List<String> threads = new CopyOnWriteArrayList<>();
  private final KvStore recording = new KvStore() {
    @Override
    public CompletableFuture<GetResult> get(Key key, RequestOptions options) {
      threads.add(Thread.currentThread().getName());
      return CompletableFuture.completedFuture(new GetResult(List.of(), Context.EMPTY));
    }

    @Override
    public CompletableFuture<PutResult> put(Key key, Context context, Bytes value,
        RequestOptions options) {
      threads.add(Thread.currentThread().getName());
      if (key.key().equals("boom")) {
        throw new IllegalStateException("boom");
      }
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<PutResult> delete(Key key, Context context, RequestOptions options) {
      return put(key, context, Bytes.EMPTY, options);
    }
  };

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void callsThatCannotBlockRunHereTheOthersOnTheExecutor() {
    Key hot = Key.of("b", "all-up");
    Key cold = Key.of("b", "a-replica-down");
    String caller = Thread.currentThread().getName();
    KvStore store = new OffLoopKvStore(recording, executor, () -> true, hot::equals);

    store.get(cold, RequestOptions.DEFAULT).join();
    store.put(hot, Context.EMPTY, Bytes.utf8("v"), RequestOptions.DEFAULT).join();
    store.put(cold, Context.EMPTY, Bytes.utf8("v"), RequestOptions.DEFAULT).join();
    store.delete(cold, Context.EMPTY, RequestOptions.DEFAULT).join();

    assertThat(threads).containsExactly(caller, caller, "storage-thread", "storage-thread");
    KvStore blocking = new OffLoopKvStore(recording, executor, () -> false, k -> false);
    blocking.get(hot, RequestOptions.DEFAULT).join();
    assertThat(threads).last().isEqualTo("storage-thread");
  }

  @Test
  void aCallThatThrowsOnTheCallersThreadFailsItsFuture() {
    KvStore store = new OffLoopKvStore(recording, executor, () -> true, k -> true);

    assertThat(store.put(Key.of("b", "boom"), Context.EMPTY, Bytes.utf8("v"),
        RequestOptions.DEFAULT)).failsWithin(Duration.ofSeconds(10));
  }
}
