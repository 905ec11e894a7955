package io.ringkv.membership;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.RingkvException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Ticker} over a scheduled executor; a task that throws is logged and keeps running. */
final class ExecutorTicker implements Ticker {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorTicker.class);
  private final ScheduledExecutorService executor;

  ExecutorTicker(ScheduledExecutorService executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  @Override
  public Cancellable every(Duration period, Runnable task) {
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(task, "task");
    if (period.isNegative() || period.isZero()) {
      throw new RingkvException(ErrorCode.INVALID_ARGUMENT,
          "period " + period + " is invalid: a periodic task needs a positive period");
    }
    long nanos = period.toNanos();
    Runnable guarded = () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.error("periodic task failed; it runs again in {}", period, e);
      }
    };
    ScheduledFuture<?> future =
        executor.scheduleWithFixedDelay(guarded, nanos, nanos, TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }
}
