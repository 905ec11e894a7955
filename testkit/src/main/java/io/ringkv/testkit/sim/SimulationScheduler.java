package io.ringkv.testkit.sim;

import io.ringkv.replication.Scheduler;
import io.ringkv.testkit.ManualClock;
import java.time.Duration;
import java.util.PriorityQueue;

/**
 * Virtual time for a deterministic simulation: tasks run one at a time, in time order (FIFO among
 * equal times), on the thread that calls {@link #runUntilIdle} or {@link #runFor}. The same seed
 * and the same calls give the same run, event for event.
 */
public final class SimulationScheduler implements Scheduler {
  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private final ManualClock clock;
  private long sequence;
  private long executed;

  public SimulationScheduler(ManualClock clock) {
    this.clock = clock;
  }

  private static final class Task implements Comparable<Task>, Cancellable {
    final long at;
    final long seq;
    final Runnable body;
    boolean cancelled;

    Task(long at, long seq, Runnable body) {
      this.at = at;
      this.seq = seq;
      this.body = body;
    }

    @Override
    public int compareTo(Task o) {
      return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable body) {
    Task t = new Task(clock.millis() + Math.max(0, delay.toMillis()), sequence++, body);
    queue.add(t);
    return t;
  }

  public ManualClock clock() {
    return clock;
  }

  public long now() {
    return clock.millis();
  }

  public long executed() {
    return executed;
  }

  public int pending() {
    return queue.size();
  }

  /** Runs one task; false when none is left. */
  public boolean step() {
    Task t = queue.poll();
    if (t == null) {
      return false;
    }
    if (t.at > clock.millis()) {
      clock.setMillis(t.at);
    }
    if (!t.cancelled) {
      executed++;
      t.body.run();
    }
    return true;
  }

  /** Runs tasks until none is left; fails if more than {@code maxTasks} run (a livelock). */
  public void runUntilIdle(long maxTasks) {
    long start = executed;
    while (step()) {
      if (executed - start > maxTasks) {
        throw new IllegalStateException("simulation did not go idle within " + maxTasks + " tasks");
      }
    }
  }

  /** Runs every task due within {@code d} from now, then sets the time to now + d. */
  public void runFor(Duration d) {
    long until = clock.millis() + d.toMillis();
    while (!queue.isEmpty() && queue.peek().at <= until) {
      step();
    }
    clock.setMillis(until);
  }
}
