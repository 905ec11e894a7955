package io.ringkv.testkit;

import io.ringkv.api.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.PriorityQueue;

/**
 * Virtual time: a {@link Scheduler} and its {@link ManualClock}, moved only by {@link #step},
 * {@link #advance} and {@link #runUntilIdle}. Tasks run one at a time, in time order (FIFO among
 * equal times), on the calling thread, with the clock set to their due time; a periodic task is
 * rescheduled one period after each run. The same calls give the same run, event for event, so a
 * deterministic simulation or a membership test never sleeps.
 *
 * <p>Not thread-safe: drive it from one thread. A task that throws propagates to the caller
 * (a bug in a simulation must fail it, not be logged away).
 */
public final class ManualScheduler implements Scheduler {
  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private final ManualClock clock;
  private long sequence;
  private long executed;
  private int periodic;
  private int oneShotQueued;

  public ManualScheduler(ManualClock clock) {
    this.clock = clock;
  }

  public ManualScheduler() {
    this(new ManualClock());
  }

  private final class Task implements Comparable<Task>, Cancellable {
    long at;
    long seq;
    final long period;
    final Runnable body;
    boolean cancelled;

    Task(long at, long period, Runnable body) {
      this.at = at;
      this.seq = sequence++;
      this.period = period;
      this.body = body;
    }

    @Override
    public int compareTo(Task o) {
      return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
    }

    @Override
    public void cancel() {
      if (!cancelled && period > 0) {
        periodic--;
      }
      cancelled = true;
    }
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable body) {
    Task t = new Task(clock.millis() + Math.max(0, delay.toMillis()), 0, body);
    queue.add(t);
    oneShotQueued++;
    return t;
  }

  @Override
  public Cancellable every(Duration period, Runnable body) {
    Scheduler.checkPeriod(period);
    long ms = Math.max(1, period.toMillis());
    Task t = new Task(clock.millis() + ms, ms, body);
    periodic++;
    queue.add(t);
    return t;
  }

  public ManualClock clock() {
    return clock;
  }

  /** The clock as a plain {@link Clock}, for builders that take one. */
  public Clock wallClock() {
    return clock;
  }

  public long now() {
    return clock.millis();
  }

  /** Tasks run so far. */
  public long executed() {
    return executed;
  }

  /** Tasks waiting, periodic ones included. */
  public int pending() {
    return queue.size();
  }

  /** Periodic tasks not cancelled. */
  public int activeTasks() {
    return periodic;
  }

  /** Runs the next task; false when none is left. */
  public boolean step() {
    Task t = queue.poll();
    if (t == null) {
      return false;
    }
    if (t.period == 0) {
      oneShotQueued--;
    }
    if (t.at > clock.millis()) {
      clock.setMillis(t.at);
    }
    if (!t.cancelled) {
      executed++;
      if (t.period > 0) {
        t.at = clock.millis() + t.period;
        t.seq = sequence++;
        queue.add(t);
      }
      t.body.run();
    }
    return true;
  }

  /**
   * Runs tasks until none but periodic ones are left; fails if more than {@code maxTasks} run
   * (a livelock). Periodic tasks due before the last one-shot task run as usual.
   */
  public void runUntilIdle(long maxTasks) {
    long start = executed;
    while (oneShotQueued > 0 && step()) {
      if (executed - start > maxTasks) {
        throw new IllegalStateException("simulation did not go idle within " + maxTasks + " tasks");
      }
    }
  }

  /** Runs every task due within {@code d} from now, then sets the time to now + d. */
  public void advance(Duration d) {
    long until = clock.millis() + d.toMillis();
    while (!queue.isEmpty() && queue.peek().at <= until) {
      step();
    }
    clock.setMillis(until);
  }
}
