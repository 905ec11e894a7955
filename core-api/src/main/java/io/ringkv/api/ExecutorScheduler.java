package io.ringkv.api;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** {@link Scheduler#of}: a scheduler over a {@link ScheduledExecutorService}. */
final class ExecutorScheduler implements Scheduler {
  private static final System.Logger LOG = System.getLogger(Scheduler.class.getName());
  private final ScheduledExecutorService executor;

  ExecutorScheduler(ScheduledExecutorService executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    Objects.requireNonNull(task, "task");
    ScheduledFuture<?> f = executor.schedule(task, Math.max(0, delay.toNanos()),
        TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public Cancellable every(Duration period, Runnable task) {
    Objects.requireNonNull(task, "task");
    Scheduler.checkPeriod(period);
    long nanos = period.toNanos();
    Runnable guarded = () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "periodic task failed; it runs again in " + period, e);
      }
    };
    ScheduledFuture<?> f =
        executor.scheduleWithFixedDelay(guarded, nanos, nanos, TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public String toString() {
    return "Scheduler[" + executor + "]";
  }
}
