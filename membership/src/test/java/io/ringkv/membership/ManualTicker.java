package io.ringkv.membership;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Ticker} and its {@link Clock}, both moved only by {@link #advance}: due tasks run in
 * time order (ties in registration order) with the clock set to their due time. Deterministic.
 */
final class ManualTicker implements Ticker {
  private final ManualClock clock = new ManualClock();
  private final List<Task> tasks = new ArrayList<>();
  private long registered;

  Clock clock() {
    return clock;
  }

  long millis() {
    return clock.millis;
  }

  @Override
  public Cancellable every(Duration period, Runnable task) {
    Task t = new Task(period.toMillis(), clock.millis + period.toMillis(), registered++, task);
    tasks.add(t);
    return () -> t.cancelled = true;
  }

  int activeTasks() {
    return (int) tasks.stream().filter(t -> !t.cancelled).count();
  }

  void advance(Duration d) {
    long target = clock.millis + d.toMillis();
    while (true) {
      Task next = null;
      for (Task t : List.copyOf(tasks)) {
        if (!t.cancelled && t.due <= target
            && (next == null || t.due < next.due || (t.due == next.due && t.seq < next.seq))) {
          next = t;
        }
      }
      if (next == null) {
        break;
      }
      clock.millis = next.due;
      next.due += next.period;
      next.run.run();
    }
    clock.millis = target;
  }

  private static final class Task {
    final long period;
    long due;
    final long seq;
    final Runnable run;
    boolean cancelled;

    Task(long period, long due, long seq, Runnable run) {
      this.period = period;
      this.due = due;
      this.seq = seq;
      this.run = run;
    }
  }

  private static final class ManualClock extends Clock {
    long millis = 1_700_000_000_000L;

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
