package io.ringkv.replication;

/**
 * What this node has received of the partitions it gains in a ring change.
 *
 * @param version the ring version the change leads to (0: no change in progress)
 * @param partitions partitions (per replication factor) this node gains
 * @param done those it holds in full
 * @param keys keys it received (or sent back) so far
 * @param bytes value bytes it received (or sent back) so far
 * @param elapsedMillis since it started receiving
 * @param waitingFor why the next partition does not move now (a source down); empty otherwise
 */
public record TransferProgress(long version, int partitions, int done, long keys, long bytes,
    long elapsedMillis, String waitingFor) {
  public static final TransferProgress NONE = new TransferProgress(0, 0, 0, 0, 0, 0, "");

  public TransferProgress {
    waitingFor = waitingFor == null ? "" : waitingFor;
  }

  /** Whether every partition it gains is here. */
  public boolean complete() {
    return done >= partitions;
  }

  /** Keys per second so far (0 before any). */
  public double keysPerSecond() {
    return elapsedMillis <= 0 ? 0 : keys * 1000.0 / elapsedMillis;
  }

  /** Estimated milliseconds left, from the time per partition so far (-1: unknown yet). */
  public long etaMillis() {
    if (complete()) {
      return 0;
    }
    return done == 0 ? -1 : elapsedMillis * (partitions - done) / done;
  }
}
