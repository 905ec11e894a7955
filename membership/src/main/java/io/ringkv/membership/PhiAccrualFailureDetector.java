package io.ringkv.membership;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The phi accrual failure detector (Hayashibara et al., 2004), with the parameters of Akka's
 * implementation. For each peer it keeps a sliding window of heartbeat inter-arrival times and
 * reports {@code phi = -log10(P(a heartbeat arrives later than now))} under a normal
 * distribution with the window's mean plus the acceptable pause and the window's standard
 * deviation (at least the minimum); a peer is available while phi is below the threshold.
 *
 * <p>The first heartbeat seeds the window with two samples around {@code firstHeartbeatEstimate}
 * (mean the estimate, deviation a quarter of it), so a peer heard from once is judged on that
 * estimate until real intervals replace it: its grace period. A peer never heard from has phi 0
 * (available): the caller decides when a peer is watched. An interval that ends a period in which
 * the peer was unavailable is not recorded, so one long outage does not skew the statistics.
 *
 * <p>Times are milliseconds from any monotonic-enough clock, passed in by the caller. Thread-safe:
 * heartbeats of one peer are serialized, reads do not lock.
 */
public final class PhiAccrualFailureDetector {
  public static final double DEFAULT_THRESHOLD = 8.0;
  public static final int DEFAULT_MAX_SAMPLE_SIZE = 1000;
  public static final Duration DEFAULT_MIN_STD_DEVIATION = Duration.ofMillis(100);
  public static final Duration DEFAULT_ACCEPTABLE_HEARTBEAT_PAUSE = Duration.ofSeconds(3);
  public static final Duration DEFAULT_FIRST_HEARTBEAT_ESTIMATE = Duration.ofSeconds(1);

  private final double threshold;
  private final int maxSampleSize;
  private final double minStdDeviation;
  private final double acceptablePause;
  private final long firstEstimate;
  private final ConcurrentHashMap<NodeId, Window> peers = new ConcurrentHashMap<>();

  /**
   * @param threshold phi at and above which a peer is unavailable (Akka and Cassandra: 8)
   * @param maxSampleSize intervals kept per peer, the oldest dropped first
   * @param minStdDeviation the least deviation assumed, so very regular heartbeats do not make
   *     phi jump at the first small delay
   * @param acceptableHeartbeatPause added to the mean: a pause this long costs little phi
   * @param firstHeartbeatEstimate the interval assumed before real intervals are known
   * @throws RingkvException if a parameter is out of range (each is named)
   */
  public PhiAccrualFailureDetector(double threshold, int maxSampleSize, Duration minStdDeviation,
      Duration acceptableHeartbeatPause, Duration firstHeartbeatEstimate) {
    Objects.requireNonNull(minStdDeviation, "minStdDeviation");
    Objects.requireNonNull(acceptableHeartbeatPause, "acceptableHeartbeatPause");
    Objects.requireNonNull(firstHeartbeatEstimate, "firstHeartbeatEstimate");
    if (!(threshold > 0) || Double.isInfinite(threshold)) {
      throw invalid("threshold " + threshold + " is invalid: it must be a positive number");
    }
    if (maxSampleSize < 1) {
      throw invalid("max sample size " + maxSampleSize + " is invalid: it must be at least 1");
    }
    if (minStdDeviation.isNegative() || minStdDeviation.isZero()) {
      throw invalid("min std deviation " + minStdDeviation + " is invalid: it must be positive");
    }
    if (acceptableHeartbeatPause.isNegative()) {
      throw invalid("acceptable heartbeat pause " + acceptableHeartbeatPause
          + " is invalid: it must not be negative");
    }
    if (firstHeartbeatEstimate.isNegative() || firstHeartbeatEstimate.isZero()) {
      throw invalid("first heartbeat estimate " + firstHeartbeatEstimate
          + " is invalid: it must be positive");
    }
    this.threshold = threshold;
    this.maxSampleSize = maxSampleSize;
    this.minStdDeviation = minStdDeviation.toMillis();
    this.acceptablePause = acceptableHeartbeatPause.toMillis();
    this.firstEstimate = firstHeartbeatEstimate.toMillis();
  }

  /** Threshold 8, 1000 samples, 100 ms min deviation, 3 s acceptable pause, 1 s first estimate. */
  public static PhiAccrualFailureDetector withDefaults() {
    return new PhiAccrualFailureDetector(DEFAULT_THRESHOLD, DEFAULT_MAX_SAMPLE_SIZE,
        DEFAULT_MIN_STD_DEVIATION, DEFAULT_ACCEPTABLE_HEARTBEAT_PAUSE,
        DEFAULT_FIRST_HEARTBEAT_ESTIMATE);
  }

  /**
   * A detector tuned to a gossip interval, as a node configures it: heartbeats expected about
   * every two intervals at first (a peer's news may come second-hand), the threshold and
   * acceptable pause given, 1000 samples, 100 ms least deviation. With a 200 ms interval and a
   * 400 ms pause, a silent peer is called down within 2 s (about 1.5 s typically).
   */
  public static PhiAccrualFailureDetector forGossip(double threshold, Duration gossipInterval,
      Duration acceptablePause) {
    return new PhiAccrualFailureDetector(threshold, DEFAULT_MAX_SAMPLE_SIZE,
        DEFAULT_MIN_STD_DEVIATION, acceptablePause, gossipInterval.multipliedBy(2));
  }

  public double threshold() {
    return threshold;
  }

  /** Records a heartbeat from the peer at {@code nowMillis}. */
  public void heartbeat(NodeId peer, long nowMillis) {
    Objects.requireNonNull(peer, "peer");
    peers.compute(peer, (id, window) -> {
      if (window == null) {
        Window fresh = new Window(maxSampleSize, nowMillis);
        long deviation = firstEstimate / 4;
        fresh.add(firstEstimate - deviation);
        fresh.add(firstEstimate + deviation);
        fresh.arrivedAt(nowMillis);
        return fresh;
      }
      Stats before = window.stats;
      if (nowMillis >= before.lastMillis) {
        if (phi(before, nowMillis) < threshold) {
          window.add(nowMillis - before.lastMillis);
        }
        window.arrivedAt(nowMillis);
      }
      return window;
    });
  }

  /** The suspicion level of the peer at {@code nowMillis}; 0 for a peer never heard from. */
  public double phi(NodeId peer, long nowMillis) {
    Window window = peers.get(Objects.requireNonNull(peer, "peer"));
    return window == null ? 0.0 : phi(window.stats, nowMillis);
  }

  /** Whether phi is below the threshold; true for a peer never heard from. */
  public boolean isAvailable(NodeId peer, long nowMillis) {
    return phi(peer, nowMillis) < threshold;
  }

  /** Forgets the peer's history, as when it restarts with a new incarnation. */
  public void remove(NodeId peer) {
    peers.remove(Objects.requireNonNull(peer, "peer"));
  }

  private double phi(Stats stats, long nowMillis) {
    double elapsed = nowMillis - stats.lastMillis;
    double mean = stats.mean + acceptablePause;
    double deviation = Math.max(stats.stdDeviation, minStdDeviation);
    // The logistic approximation of the normal CDF Akka uses (error below 1e-4).
    double y = (elapsed - mean) / deviation;
    double e = Math.exp(-y * (1.5976 + 0.070566 * y * y));
    double phi = elapsed > mean
        ? -Math.log10(e / (1.0 + e))
        : -Math.log10(1.0 - 1.0 / (1.0 + e));
    return phi + 0.0; // never -0.0
  }

  private static RingkvException invalid(String message) {
    return new RingkvException(ErrorCode.INVALID_ARGUMENT, message);
  }

  /** What a phi computation needs, published whole so readers never lock. */
  private record Stats(long lastMillis, double mean, double stdDeviation) {
  }

  /** One peer's bounded window of intervals; mutated only inside {@code peers.compute}. */
  private static final class Window {
    private final long[] intervals;
    private int size;
    private int next;
    private long lastMillis;
    private volatile Stats stats;

    Window(int capacity, long firstMillis) {
      this.intervals = new long[capacity];
      this.lastMillis = firstMillis;
      this.stats = new Stats(firstMillis, 0, 0);
    }

    void add(long interval) {
      intervals[next] = interval;
      next = (next + 1) % intervals.length;
      size = Math.min(size + 1, intervals.length);
    }

    void arrivedAt(long millis) {
      lastMillis = millis;
      publish();
    }

    private void publish() {
      double sum = 0;
      for (int i = 0; i < size; i++) {
        sum += intervals[i];
      }
      double mean = size == 0 ? 0 : sum / size;
      double squares = 0;
      for (int i = 0; i < size; i++) {
        double d = intervals[i] - mean;
        squares += d * d;
      }
      stats = new Stats(lastMillis, mean, size == 0 ? 0 : Math.sqrt(squares / size));
    }
  }
}
