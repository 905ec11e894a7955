package io.ringkv.server.demo;

import io.ringkv.api.RingkvException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The demo's bounded waits. */
final class Waits {
  static final Duration BOUND = Duration.ofSeconds(10);

  private Waits() {}

  /** So the next write's timestamp is strictly later than the previous one's. */
  static void nextMillisecond() {
    long now = System.currentTimeMillis();
    while (System.currentTimeMillis() <= now) {
      pause(1);
    }
  }

  static void pause(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("demo interrupted", e);
    }
  }

  static <T> T result(CompletableFuture<T> future) {
    try {
      return future.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RingkvException r) {
        throw r;
      }
      throw new IllegalStateException(String.valueOf(cause), cause);
    } catch (TimeoutException e) {
      throw new IllegalStateException("no answer within " + BOUND.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("demo interrupted", e);
    }
  }
}
