package io.ringkv.cli.bench;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What one phase of a run (warm-up, or the measured part) saw: per operation a latency
 * recorder (microseconds, wait-free for the recording threads) and error counts by status.
 * An operation belongs to the phase in which it was started (or scheduled).
 */
final class Window {
  private final Map<Op, Recorder> recorders = new EnumMap<>(Op.class);
  private final Map<Op, Histogram> totals = new EnumMap<>(Op.class);
  private final Map<Op, Map<String, LongAdder>> errors = new EnumMap<>(Op.class);
  private final LongAdder completed = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final AtomicLong lastCompletionNanos = new AtomicLong(Long.MIN_VALUE);

  Window() {
    for (Op op : Op.values()) {
      recorders.put(op, new Recorder(3));
      totals.put(op, new Histogram(3));
      errors.put(op, new ConcurrentHashMap<>());
    }
  }

  void success(Op op, long latencyNanos, long nowNanos) {
    recorders.get(op).recordValue(Math.max(1, latencyNanos / 1000));
    completed.increment();
    lastCompletionNanos.accumulateAndGet(nowNanos, Math::max);
  }

  void error(Op op, String status, long nowNanos) {
    errors.get(op).computeIfAbsent(status, s -> new LongAdder()).increment();
    completed.increment();
    failed.increment();
    lastCompletionNanos.accumulateAndGet(nowNanos, Math::max);
  }

  /** Moves what was recorded since the last call into the totals; returns that interval per op. */
  synchronized Map<Op, Histogram> drain() {
    Map<Op, Histogram> interval = new EnumMap<>(Op.class);
    for (Op op : Op.values()) {
      Histogram h = recorders.get(op).getIntervalHistogram();
      totals.get(op).add(h);
      interval.put(op, h);
    }
    return interval;
  }

  /** Operations finished so far, successful or not. */
  long completed() {
    return completed.sum();
  }

  long failed() {
    return failed.sum();
  }

  /** {@link System#nanoTime()} of the last finished operation, or {@code Long.MIN_VALUE}. */
  long lastCompletionNanos() {
    return lastCompletionNanos.get();
  }

  /** The drained totals of one operation (call {@link #drain} first). */
  synchronized Histogram total(Op op) {
    return totals.get(op).copy();
  }

  /** Error counts of one operation by status ({@code 503}, {@code timeout}, ...), sorted. */
  Map<String, Long> errors(Op op) {
    Map<String, Long> out = new TreeMap<>();
    errors.get(op).forEach((status, n) -> out.put(status, n.sum()));
    return out;
  }
}
