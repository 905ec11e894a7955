package io.ringkv.replication;

/** What one anti-entropy round did. */
public record RoundReport(int exchanges, int failed, long keysRepaired, long reaped) {
  static final RoundReport EMPTY = new RoundReport(0, 0, 0, 0);

  /** Collects a round's counts as its exchanges end (they run one at a time). */
  static final class Builder {
    private int exchanges;
    private int failed;
    private long keysRepaired;
    private long reaped;

    synchronized void exchange(long repaired) {
      exchanges++;
      keysRepaired += repaired;
    }

    synchronized void failed() {
      exchanges++;
      failed++;
    }

    synchronized void reaped() {
      reaped++;
    }

    synchronized RoundReport build() {
      return new RoundReport(exchanges, failed, keysRepaired, reaped);
    }
  }
}
