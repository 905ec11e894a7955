package io.ringkv.replication;

import io.ringkv.api.NodeId;
import io.ringkv.api.QuorumNotReachedException;
import io.ringkv.api.QuorumSpec;
import io.ringkv.api.Siblings;
import io.ringkv.versioning.Reconciler;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Collects the answers of one read: completes {@link #result} with the reconciliation of the first
 * R answers (or fails with "k of R" if R never answer), and once every asked replica has answered
 * or failed, or the timeout fired, hands everything it saw to {@code onFinished} (read repair).
 * Thread-safe; completes its futures outside its lock.
 */
final class ReadRound {
  final CompletableFuture<Siblings> result = new CompletableFuture<>();
  final CompletableFuture<Void> finished = new CompletableFuture<>();
  private final int asked;
  private final QuorumSpec quorum;
  private final Consumer<Map<NodeId, Siblings>> onFinished;
  private final Map<NodeId, Siblings> answers = new LinkedHashMap<>();
  private int failures;
  private boolean resultDecided;
  private boolean over;

  /**
   * @param asked how many replicas the read asks
   * @param onFinished called once with every answer, when all are in or the time is up
   */
  ReadRound(int asked, QuorumSpec quorum, Consumer<Map<NodeId, Siblings>> onFinished) {
    this.asked = asked;
    this.quorum = quorum;
    this.onFinished = onFinished;
  }

  void answer(NodeId node, Siblings siblings) {
    Siblings quorumResult = null;
    boolean all;
    synchronized (this) {
      if (over) {
        return;
      }
      answers.put(node, siblings);
      if (!resultDecided && answers.size() >= quorum.r()) {
        resultDecided = true;
        quorumResult = Reconciler.reconcile(answers).merged();
      }
      all = answers.size() + failures == asked;
    }
    if (quorumResult != null) {
      result.complete(quorumResult);
    }
    if (all) {
      finish();
    }
  }

  void failure(NodeId node) {
    boolean all;
    synchronized (this) {
      if (over) {
        return;
      }
      failures++;
      all = answers.size() + failures == asked;
    }
    if (all) {
      finish();
    }
  }

  /** All answers are in, or the time is up: fail if short of R, then hand over for repair. */
  void finish() {
    Map<NodeId, Siblings> seen;
    boolean failQuorum;
    synchronized (this) {
      if (over) {
        return;
      }
      over = true;
      failQuorum = !resultDecided;
      resultDecided = true;
      seen = new LinkedHashMap<>(answers);
    }
    if (failQuorum) {
      result.completeExceptionally(new QuorumNotReachedException("get", quorum.r(), seen.size()));
    }
    finished.complete(null);
    if (!seen.isEmpty()) {
      onFinished.accept(seen);
    }
  }
}
