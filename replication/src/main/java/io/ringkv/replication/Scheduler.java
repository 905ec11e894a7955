package io.ringkv.replication;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task later: every timeout of the coordinator goes through it, so a simulation can drive
 * time deterministically and production uses a small shared timer.
 */
@FunctionalInterface
public interface Scheduler {
  /** Runs {@code task} after {@code delay}; the returned handle cancels it. */
  Cancellable schedule(Duration delay, Runnable task);

  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }

  static Scheduler of(ScheduledExecutorService executor) {
    return (delay, task) -> {
      var f = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    };
  }
}
