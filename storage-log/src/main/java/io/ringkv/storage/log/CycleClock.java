package io.ringkv.storage.log;

import net.openhft.chronicle.core.time.TimeProvider;

/**
 * Chronicle Queue picks the file a document goes to from the time; this clock makes that time
 * logical, so the engine rolls to a new log file when the current one is full (and at every
 * start) rather than at midnight. Cycle {@code c} is day {@code c}; within a cycle the time
 * advances with the real clock (capped before the next day), so Chronicle's own time-based
 * bookkeeping keeps moving.
 */
final class CycleClock implements TimeProvider {
  static final long CYCLE_MILLIS = 86_400_000L;

  private volatile long cycleStartNanos = System.nanoTime();
  private volatile int cycle;

  CycleClock(int cycle) {
    this.cycle = cycle;
  }

  int cycle() {
    return cycle;
  }

  void cycle(int next) {
    cycleStartNanos = System.nanoTime();
    cycle = next;
  }

  @Override
  public long currentTimeMillis() {
    long elapsed = (System.nanoTime() - cycleStartNanos) / 1_000_000L;
    return cycle * CYCLE_MILLIS + Math.min(Math.max(0, elapsed), CYCLE_MILLIS - 1);
  }
}
