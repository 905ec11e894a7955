package io.ringkv.cli.bench;

import io.ringkv.cli.NodeAddress;
import java.time.Duration;
import java.util.List;

/**
 * One {@code ringkv bench} run.
 *
 * @param nodes HTTP addresses; requests are spread round-robin over them
 * @param concurrency requests in flight at once (closed loop), or the cap when {@code rate > 0}
 * @param keys the key space: keys {@code key0 .. key<keys-1>}, chosen uniformly
 * @param valueSize bytes per written value
 * @param readRatio the fraction of operations that are reads, 0..1
 * @param rmw writes are a get then a put with its context, instead of blind puts
 * @param duration how long to measure, or null when {@code requests > 0}
 * @param requests how many operations to measure, or 0 when {@code duration} is set
 * @param warmup how long to run before measuring (results discarded)
 * @param rate operations per second to start on a fixed schedule (latency counted from the
 *     scheduled start), or 0 for a closed loop
 * @param progress the interval of the progress line
 * @param timeout per request
 */
record BenchSettings(List<NodeAddress> nodes, int concurrency, int keys, int valueSize,
    double readRatio, boolean rmw, Duration duration, long requests, Duration warmup,
    String bucket, long seed, double rate, Duration progress, Duration timeout) {
  BenchSettings {
    nodes = List.copyOf(nodes);
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("--node: at least one node is needed");
    }
    if (concurrency < 1 || concurrency > 100_000) {
      throw new IllegalArgumentException("--concurrency must be in 1..100000, got " + concurrency);
    }
    if (keys < 1) {
      throw new IllegalArgumentException("--keys must be at least 1, got " + keys);
    }
    if (valueSize < 0 || valueSize > 64 * 1024 * 1024) {
      throw new IllegalArgumentException("--value-size must be in 0..67108864 bytes, got "
          + valueSize);
    }
    if (!(readRatio >= 0.0 && readRatio <= 1.0)) {
      throw new IllegalArgumentException("--read-ratio must be in 0..1, got " + readRatio);
    }
    if ((duration == null) == (requests <= 0)) {
      throw new IllegalArgumentException("give either --duration or --requests, not both");
    }
    if (duration != null && (duration.isZero() || duration.isNegative())) {
      throw new IllegalArgumentException("--duration must be positive, got " + duration);
    }
    if (warmup.isNegative()) {
      throw new IllegalArgumentException("--warmup must not be negative, got " + warmup);
    }
    if (bucket == null || bucket.isEmpty()) {
      throw new IllegalArgumentException("--bucket must not be empty");
    }
    if (!(rate >= 0.0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("--rate must be a positive number of operations per"
          + " second, got " + rate);
    }
    if (progress.isZero() || progress.isNegative()) {
      throw new IllegalArgumentException("--progress must be positive, got " + progress);
    }
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("--timeout must be positive, got " + timeout);
    }
  }
}
