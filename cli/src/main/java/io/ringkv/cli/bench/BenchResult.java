package io.ringkv.cli.bench;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What the measured part of a run saw.
 *
 * @param measuredNanos from the end of the warm-up to the last measured operation's end
 * @param ops per operation: latencies of the successful ones and errors by status
 */
record BenchResult(BenchSettings settings, long measuredNanos, Map<Op, OpResult> ops) {
  BenchResult {
    ops = Map.copyOf(ops);
  }

  double measuredSeconds() {
    return measuredNanos / 1e9;
  }

  long succeeded() {
    return ops.values().stream().mapToLong(o -> o.latencyMicros().getTotalCount()).sum();
  }

  long failed() {
    return ops.values().stream().mapToLong(OpResult::errorCount).sum();
  }

  /**
   * One operation.
   *
   * @param latencyMicros latencies of the successful requests, in microseconds
   * @param errors failed requests by HTTP status or failure ({@code timeout}, {@code connect})
   */
  record OpResult(Histogram latencyMicros, Map<String, Long> errors) {
    OpResult {
      errors = Map.copyOf(errors);
    }

    long errorCount() {
      return errors.values().stream().mapToLong(Long::longValue).sum();
    }
  }
}
