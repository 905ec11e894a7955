package io.ringkv.api;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs tasks later, once or periodically: every timeout and every periodic job of a node (the
 * coordinator's quorum timeouts, gossip rounds, hint replay) goes through one of these, so a
 * simulation can drive time deterministically ({@code io.ringkv.testkit.ManualScheduler}) and
 * production uses one small shared timer ({@link #of}).
 *
 * <p>Implementations are thread-safe. A periodic task that throws is reported and runs again at
 * its next period; a task is never run concurrently with itself.
 */
public interface Scheduler {
  /** Runs {@code task} once after {@code delay} (zero or negative: as soon as possible). */
  Cancellable schedule(Duration delay, Runnable task);

  /**
   * Runs {@code task} every {@code period}, the first time one period from now, with a fixed
   * delay between the end of one run and the start of the next. This default reschedules through
   * {@link #schedule}; a task that throws is reported to the current thread's uncaught-exception
   * handler and keeps its schedule.
   *
   * @throws RingkvException with {@link ErrorCode#INVALID_ARGUMENT} for a period that is not
   *     positive
   */
  default Cancellable every(Duration period, Runnable task) {
    Objects.requireNonNull(task, "task");
    checkPeriod(period);
    return new Periodic(this, period, task).start();
  }

  /** Stops a task that has not run yet, or the next runs of a periodic one; harmless twice. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }

  /**
   * A scheduler on the executor; the caller owns and shuts down the executor. Periodic tasks use
   * {@link ScheduledExecutorService#scheduleWithFixedDelay}, and one that throws is logged
   * (through {@link System.Logger}, name {@code io.ringkv.api.Scheduler}) and keeps running.
   */
  static Scheduler of(ScheduledExecutorService executor) {
    return new ExecutorScheduler(executor);
  }

  /** Refuses a zero or negative period, naming it. */
  static void checkPeriod(Duration period) {
    Objects.requireNonNull(period, "period");
    if (period.isNegative() || period.isZero()) {
      throw new RingkvException(ErrorCode.INVALID_ARGUMENT,
          "period " + period + " is invalid: a periodic task needs a positive period");
    }
  }
}
