package io.ringkv.testkit.sim;

import io.ringkv.api.NodeId;
import io.ringkv.replication.api.ReplicaHandler;
import io.ringkv.replication.api.ReplicaNetwork;
import io.ringkv.replication.api.ReplicaRequest;
import io.ringkv.replication.api.ReplicaResponse;
import io.ringkv.testkit.ManualScheduler;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The in-process, fault-injecting network: every message and every answer is a task on the
 * {@link ManualScheduler}, delayed, dropped, duplicated or cut off by a partition according to
 * a seeded random generator, so a failing seed reproduces exactly. A crashed node neither
 * receives nor sends. A lost message leaves the sender's future incomplete: callers must bound
 * their waits, exactly as over a real network.
 */
public final class SimulatedNetwork {
  private final ManualScheduler scheduler;
  private final Random random;
  private final Map<NodeId, ReplicaHandler> handlers = new HashMap<>();
  private final Set<NodeId> crashed = new HashSet<>();
  private final Map<NodeId, Integer> side = new HashMap<>();
  private Faults faults = Faults.NONE;
  private long sent;
  private long delivered;
  private long dropped;
  private long duplicated;

  public SimulatedNetwork(ManualScheduler scheduler, long seed) {
    this.scheduler = scheduler;
    this.random = new Random(seed);
  }

  public void register(NodeId node, ReplicaHandler handler) {
    handlers.put(node, handler);
  }

  public ReplicaNetwork endpoint(NodeId from) {
    return (to, request) -> send(from, to, request);
  }

  public void setFaults(Faults faults) {
    this.faults = faults;
  }

  public void crash(NodeId node) {
    crashed.add(node);
  }

  public void restart(NodeId node) {
    crashed.remove(node);
  }

  /** The node is gone for good (it left the cluster): it is down and nothing reaches it. */
  public void remove(NodeId node) {
    handlers.remove(node);
    crashed.add(node);
  }

  public boolean isCrashed(NodeId node) {
    return crashed.contains(node);
  }

  /** Splits the nodes in groups; messages between different groups are lost. */
  public void partition(Set<NodeId> groupA) {
    side.clear();
    for (NodeId n : handlers.keySet()) {
      side.put(n, groupA.contains(n) ? 1 : 2);
    }
  }

  public void heal() {
    side.clear();
  }

  public boolean connected(NodeId a, NodeId b) {
    if (crashed.contains(a) || crashed.contains(b)) {
      return false;
    }
    return side.isEmpty() || side.getOrDefault(a, 0).equals(side.getOrDefault(b, 0));
  }

  public String stats() {
    return "sent=" + sent + " delivered=" + delivered + " dropped=" + dropped + " duplicated="
        + duplicated;
  }

  private Duration delay() {
    long span = faults.maxDelayMs() - faults.minDelayMs();
    return Duration.ofMillis(faults.minDelayMs() + (span == 0 ? 0 : random.nextInt((int) span + 1)));
  }

  private boolean lose() {
    return faults.dropRate() > 0 && random.nextDouble() < faults.dropRate();
  }

  private CompletableFuture<ReplicaResponse> send(NodeId from, NodeId to, ReplicaRequest request) {
    sent++;
    CompletableFuture<ReplicaResponse> answer = new CompletableFuture<>();
    if (!connected(from, to) || lose()) {
      dropped++;
      return answer;
    }
    deliver(from, to, request, answer);
    if (faults.duplicateRate() > 0 && random.nextDouble() < faults.duplicateRate()) {
      duplicated++;
      deliver(from, to, request, answer);
    }
    return answer;
  }

  private void deliver(NodeId from, NodeId to, ReplicaRequest request,
      CompletableFuture<ReplicaResponse> answer) {
    scheduler.schedule(delay(), () -> {
      ReplicaHandler handler = handlers.get(to);
      if (handler == null || !connected(from, to)) {
        dropped++;
        return;
      }
      delivered++;
      handler.handle(from, request).whenComplete((resp, err) -> {
        boolean lost = lose();
        scheduler.schedule(delay(), () -> {
          if (lost || !connected(from, to)) {
            dropped++;
          } else if (err != null) {
            answer.completeExceptionally(err);
          } else {
            answer.complete(resp);
          }
        });
      });
    });
  }
}
