package io.ringkv.membership;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs a task periodically: the gossip round. Production uses {@link #of} over a scheduled
 * executor; tests drive a manual implementation with a manual clock, so no test sleeps.
 */
@FunctionalInterface
public interface Ticker {
  /** Runs {@code task} every {@code period}, the first time one period from now. */
  Cancellable every(Duration period, Runnable task);

  /** Stops a periodic task. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }

  /** A ticker on the executor (fixed delay); the caller owns and shuts down the executor. */
  static Ticker of(ScheduledExecutorService executor) {
    return new ExecutorTicker(executor);
  }
}
