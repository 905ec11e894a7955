package io.ringkv.replication;

import io.ringkv.api.NodeId;
import io.ringkv.api.QuorumNotReachedException;
import io.ringkv.api.Scheduler;
import io.ringkv.api.Siblings;
import io.ringkv.replication.api.ReplicaNetwork;
import io.ringkv.replication.api.ReplicaRequest;
import io.ringkv.replication.api.ReplicaResponse;
import io.ringkv.versioning.Reconciler;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One quorum read: asks the key's primaries that are up (and, in a sloppy bucket, a fall-back for
 * each primary that is down, fails, or has not answered within the replica timeout; a fall-back
 * answers from the hints it holds, and a late primary still counts), completes
 * {@link #result} with the reconciliation of the first R answers of which PR came from primaries,
 * and once every node asked has answered or failed, or the timeout fired, hands what the
 * primaries and fall-backs answered to {@code onFinished} (read repair). Fails with "k of R" (or
 * "k of PR") when the quorum is not met by then. Thread-safe; completes its futures outside its
 * lock.
 */
final class ReadRound {
  /** What a finished read saw: every answer, and which of them came from primaries. */
  record Seen(Map<NodeId, Siblings> answers, Set<NodeId> primaries) {
    boolean fallbackAnswered() {
      return answers.size() > primaries.size();
    }
  }

  final CompletableFuture<Siblings> result = new CompletableFuture<>();
  final CompletableFuture<Void> finished = new CompletableFuture<>();
  private final Plan plan;
  private final NodeId self;
  private final ReplicaSelector selector;
  private final ReplicaNetwork network;
  private final Function<NodeId, Siblings> local;
  private final Consumer<Seen> onFinished;
  private final java.time.Duration replicaWait;
  private Scheduler scheduler;

  // guarded by this
  private final Map<NodeId, Siblings> answers = new LinkedHashMap<>();
  private final Map<NodeId, Siblings> primaryAnswers = new LinkedHashMap<>();
  private final Set<NodeId> used = new HashSet<>();
  private int outstanding;
  private boolean decided;
  private boolean over;

  /**
   * @param local what this node answers for itself (its engine, and the hints it holds)
   * @param onFinished called once with everything seen, when all answers are in or time is up
   */
  ReadRound(Plan plan, NodeId self, ReplicaSelector selector, ReplicaNetwork network,
      Function<NodeId, Siblings> local, Consumer<Seen> onFinished, java.time.Duration replicaWait) {
    this.plan = plan;
    this.self = self;
    this.selector = selector;
    this.network = network;
    this.local = local;
    this.onFinished = onFinished;
    this.replicaWait = replicaWait;
  }

  void start(Scheduler scheduler) {
    this.scheduler = scheduler;
    ReplicaSelector.Targets targets = selector.forRead(plan);
    List<NodeId> standIns = new ArrayList<>();
    synchronized (this) {
      used.addAll(plan.primaries());
      used.add(self);
      outstanding = targets.reachable().size();
      for (int i = 0; i < targets.down().size(); i++) {
        chooseFallback().ifPresent(standIns::add);
      }
    }
    Scheduler.Cancellable timer = scheduler.schedule(plan.timeout(), this::finish);
    finished.whenComplete((v, e) -> timer.cancel());
    for (NodeId node : targets.reachable()) {
      ask(node, true);
    }
    for (NodeId node : standIns) {
      ask(node, false);
    }
    boolean none;
    synchronized (this) {
      none = outstanding == 0;
    }
    if (none) {
      finish();
    }
  }

  /** Caller holds the lock; the chosen node is counted outstanding at once. */
  private Optional<NodeId> chooseFallback() {
    Optional<NodeId> f = selector.fallback(plan, used);
    f.ifPresent(node -> {
      used.add(node);
      outstanding++;
    });
    return f;
  }

  private void ask(NodeId node, boolean primary) {
    if (node.equals(self)) {
      answer(node, primary, local.apply(node));
      return;
    }
    boolean[] stoodIn = {false};
    Scheduler.Cancellable lapse = primary && plan.sloppy()
        ? scheduler.schedule(replicaWait, () -> lapse(stoodIn)) : () -> { };
    network.send(node, new ReplicaRequest.Fetch(plan.key())).whenComplete((resp, err) -> {
      lapse.cancel();
      if (err == null && resp instanceof ReplicaResponse.Fetched f) {
        answer(node, primary, f.siblings());
      } else {
        boolean already;
        synchronized (this) {
          already = stoodIn[0];
          stoodIn[0] = true;
        }
        failure(primary && !already);
      }
    });
  }

  /**
   * A primary has not answered within the replica timeout: a fall-back is asked too, while the
   * primary's own answer, should it come, still counts.
   */
  private void lapse(boolean[] stoodIn) {
    Optional<NodeId> standIn;
    synchronized (this) {
      if (over || stoodIn[0]) {
        return;
      }
      stoodIn[0] = true;
      standIn = chooseFallback();
    }
    standIn.ifPresent(node -> ask(node, false));
  }

  private void answer(NodeId node, boolean primary, Siblings siblings) {
    Siblings quorumResult = null;
    boolean all;
    synchronized (this) {
      if (over) {
        return;
      }
      answers.put(node, siblings);
      if (primary) {
        primaryAnswers.put(node, siblings);
      }
      outstanding--;
      if (!decided && answers.size() >= plan.quorum().r() && primaryAnswers.size() >= plan.pr()) {
        decided = true;
        quorumResult = Reconciler.reconcile(answers).merged();
      }
      all = outstanding == 0;
    }
    if (quorumResult != null) {
      result.complete(quorumResult);
    }
    if (all) {
      finish();
    }
  }

  /** A node failed to answer: a primary's place goes to a fall-back, if there is one. */
  private void failure(boolean primary) {
    Optional<NodeId> standIn = Optional.empty();
    boolean all;
    synchronized (this) {
      if (over) {
        return;
      }
      if (primary) {
        standIn = chooseFallback();
      }
      outstanding--;
      all = outstanding == 0;
    }
    standIn.ifPresent(node -> ask(node, false));
    if (all) {
      finish();
    }
  }

  /** All answers are in, or the time is up: fail if short of R or PR, then hand over. */
  void finish() {
    Seen seen;
    QuorumNotReachedException failure = null;
    synchronized (this) {
      if (over) {
        return;
      }
      over = true;
      if (!decided) {
        decided = true;
        failure = answers.size() < plan.quorum().r()
            ? new QuorumNotReachedException("get", plan.quorum().r(), answers.size())
            : new QuorumNotReachedException("get", "PR", plan.pr(), primaryAnswers.size());
      }
      seen = new Seen(new LinkedHashMap<>(answers), Set.copyOf(primaryAnswers.keySet()));
    }
    if (failure != null) {
      result.completeExceptionally(failure);
    }
    finished.complete(null);
    if (!seen.answers().isEmpty()) {
      onFinished.accept(seen);
    }
  }
}
