package io.ringkv.api;

import java.time.Duration;

/**
 * {@link Scheduler#every}'s default: runs a task, then schedules its next run one period later,
 * until cancelled. Guarded by its own lock, so a cancel racing a run never reschedules.
 */
final class Periodic implements Scheduler.Cancellable {
  private final Scheduler scheduler;
  private final Duration period;
  private final Runnable task;
  private Scheduler.Cancellable next;
  private boolean cancelled;

  Periodic(Scheduler scheduler, Duration period, Runnable task) {
    this.scheduler = scheduler;
    this.period = period;
    this.task = task;
  }

  Periodic start() {
    reschedule();
    return this;
  }

  private synchronized void reschedule() {
    if (!cancelled) {
      next = scheduler.schedule(period, this::run);
    }
  }

  private void run() {
    synchronized (this) {
      if (cancelled) {
        return;
      }
    }
    try {
      task.run();
    } catch (RuntimeException e) {
      Thread t = Thread.currentThread();
      t.getUncaughtExceptionHandler().uncaughtException(t, e);
    } finally {
      reschedule();
    }
  }

  @Override
  public synchronized void cancel() {
    cancelled = true;
    if (next != null) {
      next.cancel();
    }
  }
}
