package io.ringkv.replication;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Small helpers for CompletableFuture plumbing. */
final class Futures {
  private Futures() {}

  static Throwable unwrap(Throwable t) {
    Throwable cur = t;
    while ((cur instanceof CompletionException || cur instanceof ExecutionException)
        && cur.getCause() != null) {
      cur = cur.getCause();
    }
    return cur;
  }

  static <T> CompletableFuture<T> failed(Throwable t) {
    return CompletableFuture.failedFuture(unwrap(t));
  }
}
