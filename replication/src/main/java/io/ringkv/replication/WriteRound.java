package io.ringkv.replication;

import io.ringkv.api.Bytes;
import io.ringkv.api.QuorumNotReachedException;
import io.ringkv.api.Versioned;
import java.util.concurrent.CompletableFuture;

/**
 * Counts the acknowledgements of one write: the coordinator's own copy counts as the first, so
 * the round succeeds after W-1 of the other replicas acknowledged, and fails as soon as too many
 * failed for W to be reachable, or when its timeout fires. Completes its future once, outside its
 * lock.
 */
final class WriteRound {
  final CompletableFuture<Versioned<Bytes>> result = new CompletableFuture<>();
  private final Versioned<Bytes> version;
  private final int needed;
  private final int peers;
  private final int w;
  private int acks;
  private int failures;

  /**
   * @param w the write quorum, the coordinator included
   * @param peers how many other replicas the copy goes to
   */
  WriteRound(Versioned<Bytes> version, int w, int peers) {
    this.version = version;
    this.needed = w - 1;
    this.peers = peers;
    this.w = w;
  }

  void ack() {
    boolean done;
    synchronized (this) {
      acks++;
      done = acks == needed;
    }
    if (done) {
      result.complete(version);
    }
  }

  void failure() {
    int achieved;
    synchronized (this) {
      failures++;
      if (acks >= needed || peers - failures >= needed) {
        return;
      }
      achieved = 1 + acks;
    }
    result.completeExceptionally(new QuorumNotReachedException("put", w, achieved));
  }

  /** Completes at once when the coordinator's own copy is the whole quorum (W=1). */
  void checkImmediate() {
    if (needed <= 0) {
      result.complete(version);
    }
  }

  void timeout() {
    int achieved;
    synchronized (this) {
      achieved = 1 + acks;
    }
    result.completeExceptionally(new QuorumNotReachedException("put", w, achieved));
  }
}
