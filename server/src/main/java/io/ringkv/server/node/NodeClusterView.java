package io.ringkv.server.node;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import io.ringkv.api.Siblings;
import io.ringkv.membership.ClusterState;
import io.ringkv.membership.HostPort;
import io.ringkv.membership.Member;
import io.ringkv.membership.Membership;
import io.ringkv.replication.BucketPolicies;
import io.ringkv.replication.ExchangeRecord;
import io.ringkv.replication.HandoffPlan;
import io.ringkv.replication.ReplicaNode;
import io.ringkv.replication.RoundReport;
import io.ringkv.replication.TransferProgress;
import io.ringkv.replication.api.ReplicaNetwork;
import io.ringkv.replication.api.ReplicaRequest;
import io.ringkv.replication.api.ReplicaResponse;
import io.ringkv.ring.Ring;
import io.ringkv.storage.spi.HintBacklog;
import io.ringkv.transport.netty.http.ClusterView;
import io.ringkv.transport.netty.http.HandoffView;
import io.ringkv.transport.netty.http.MemberView;
import io.ringkv.transport.netty.http.PlanView;
import io.ringkv.transport.netty.http.RingView;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** The HTTP API's view of the cluster, over membership and replication. */
final class NodeClusterView implements ClusterView {
  private final ReplicaNode node;
  private final Membership membership;
  private final ReplicaNetwork network;
  private final BucketPolicies policies;
  private final Clock clock;

  NodeClusterView(ReplicaNode node, Membership membership, ReplicaNetwork network,
      BucketPolicies policies, Clock clock) {
    this.node = node;
    this.membership = membership;
    this.network = network;
    this.policies = policies;
    this.clock = clock;
  }

  @Override
  public NodeId self() {
    return node.id();
  }

  @Override
  public List<NodeId> preferenceList(Key key) {
    return membership.ring().preferenceList(key, policies.policyFor(key.bucket()).quorum().n())
        .primaries();
  }

  @Override
  public Map<NodeId, CompletableFuture<Siblings>> fetchReplicas(Key key) {
    Map<NodeId, CompletableFuture<Siblings>> answers = new LinkedHashMap<>();
    for (NodeId replica : preferenceList(key)) {
      if (replica.equals(node.id())) {
        answers.put(replica, CompletableFuture.completedFuture(node.local(key)));
      } else {
        answers.put(replica, network.send(replica, new ReplicaRequest.Fetch(key)).thenApply(r -> {
          if (r instanceof ReplicaResponse.Fetched f) {
            return f.siblings();
          }
          throw new RingkvException(ErrorCode.UNAVAILABLE, replica + " answered " + r);
        }));
      }
    }
    return answers;
  }

  @Override
  public Map<NodeId, CompletableFuture<Map<NodeId, Siblings>>> hints(Key key) {
    Map<NodeId, CompletableFuture<Map<NodeId, Siblings>>> answers = new LinkedHashMap<>();
    for (Member m : membership.current().members().values()) {
      NodeId holder = m.id();
      if (holder.equals(node.id())) {
        answers.put(holder, CompletableFuture.completedFuture(node.hints(key)));
      } else if (membership.isUp(holder)) {
        answers.put(holder, network.send(holder, new ReplicaRequest.FetchHints(key)).thenApply(r -> {
          if (r instanceof ReplicaResponse.HintsFetched h) {
            return h.hints();
          }
          throw new RingkvException(ErrorCode.UNAVAILABLE, holder + " answered " + r);
        }));
      }
    }
    return answers;
  }

  @Override
  public RingView ring() {
    return new RingView(membership.current().ringVersion(), membership.ring());
  }

  @Override
  public List<MemberView> members() {
    ClusterState state = membership.current();
    Map<NodeId, HintBacklog> backlogs = node.hintBacklogs();
    long now = clock.millis();
    Map<NodeId, List<MemberView.Exchange>> exchanges = new HashMap<>();
    for (ExchangeRecord r : node.exchanges()) {
      exchanges.computeIfAbsent(r.peer(), p -> new ArrayList<>()).add(new MemberView.Exchange(
          r.partition(), r.lastMillis(), r.ok(), r.keysRepaired(), r.error()));
    }
    List<MemberView> views = new ArrayList<>();
    for (Member m : state.members().values()) {
      HintBacklog b = backlogs.getOrDefault(m.id(), HintBacklog.EMPTY);
      views.add(new MemberView(m.id(), m.host() + ":" + m.port(), membership.isUp(m.id()),
          new MemberView.Hints(b.hints(), b.bytes(), b.oldestAgeMillis(now)),
          exchanges.getOrDefault(m.id(), List.of()),
          m.status().name().toLowerCase(java.util.Locale.ROOT),
          state.pendingVersion() > 0 && m.readyFor() >= state.pendingVersion()));
    }
    return views;
  }

  @Override
  public HandoffView handoff() {
    ClusterState state = membership.current();
    if (state.ringVersion() == 0) {
      return HandoffView.NONE;
    }
    TransferProgress p = node.transferProgress();
    boolean current = p.version() == state.pendingVersion() && state.pendingVersion() > 0;
    return new HandoffView(state.ringVersion(), state.pendingVersion(),
        current ? p.partitions() : 0, current ? p.done() : 0, current ? p.keys() : 0,
        current ? p.bytes() : 0, Math.round(p.keysPerSecond()), current ? p.etaMillis() : 0,
        current ? p.waitingFor() : "");
  }

  @Override
  public CompletableFuture<PlanView> leavePlan() {
    try {
      Ring ring = membership.ring();
      if (!ring.contains(node.id()) || ring.nodes().size() == 1) {
        throw new RingkvException(ErrorCode.INVALID_ARGUMENT, "node " + node.id()
            + (ring.contains(node.id()) ? " is the last node of the ring" : " is not in the ring"));
      }
      return plan(node.id() + " leaves", ring, ring.withoutNode(node.id()), Set.of());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletableFuture<PlanView> removePlan(String id) {
    try {
      NodeId dead = NodeId.of(id);
      Ring ring = membership.ring();
      if (!ring.contains(dead)) {
        throw new RingkvException(ErrorCode.INVALID_ARGUMENT, "node " + dead
            + " is not in the ring; its nodes: " + ring.nodes());
      }
      return plan(dead + " is removed", ring, ring.withoutNode(dead), Set.of(dead));
    } catch (RuntimeException e) {
      return refused(e);
    }
  }

  @Override
  public CompletableFuture<PlanView> joinPlan(String seed) {
    HostPort address;
    try {
      address = seedAddress(seed);
    } catch (RingkvException e) {
      return CompletableFuture.failedFuture(e);
    }
    return membership.peek(address).thenCompose(theirs -> {
      Ring ring = theirs.ring().orElseThrow(() -> new RingkvException(ErrorCode.UNAVAILABLE,
          "seed " + seed + " has no ring yet"));
      if (ring.contains(node.id())) {
        throw new RingkvException(ErrorCode.INVALID_ARGUMENT, "node " + node.id()
            + " is already in the ring of " + seed);
      }
      return plan(node.id() + " joins", ring, ring.withNode(node.id()), Set.of());
    });
  }

  private CompletableFuture<PlanView> plan(String change, Ring current, Ring next,
      Set<NodeId> gone) {
    return node.plan(current, next, gone).thenApply(p -> {
      List<PlanView.Move> moves = new ArrayList<>();
      for (HandoffPlan.Move m : p.moves()) {
        moves.add(new PlanView.Move(m.partition(), m.n(), m.from(), m.to(), m.keys(), m.bytes()));
      }
      return new PlanView(change, moves, p.keys(), p.bytes(), p.estimatedMillis(),
          p.keysPerSecond(), p.bytesPerSecond(), p.unknown());
    });
  }

  @Override
  public CompletableFuture<String> remove(String id) {
    try {
      NodeId dead = NodeId.of(id);
      Ring next = membership.remove(dead);
      return CompletableFuture.completedFuture(dead + " removed: its partitions are rebuilt on"
          + " their new owners from the surviving replicas; the ring becomes " + next.nodes()
          + " once they hold them (ringkv members)");
    } catch (RuntimeException e) {
      return refused(e);
    }
  }

  @Override
  public CompletableFuture<String> repair(OptionalInt partition, boolean wait) {
    CompletableFuture<RoundReport> round;
    try {
      round = node.repair(partition);
    } catch (RuntimeException e) {
      return refused(e);
    }
    String what = partition.isPresent() ? "partition " + partition.getAsInt()
        : "every partition";
    if (!wait) {
      return CompletableFuture.completedFuture("anti-entropy round started on " + node.id()
          + " for " + what + "; follow it in ringkv members --json or ringkv_antientropy_* on"
          + " /metrics");
    }
    return round.thenApply(r -> "anti-entropy round on " + node.id() + " for " + what + ": "
        + r.exchanges() + " exchanges (" + r.failed() + " failed), " + r.keysRepaired()
        + " keys repaired, " + r.reaped() + " tombstones reaped");
  }

  @Override
  public CompletableFuture<String> join(String seed) {
    HostPort address;
    try {
      address = seedAddress(seed);
    } catch (RingkvException e) {
      return CompletableFuture.failedFuture(e);
    }
    return membership.join(address).thenApply(state -> "joined the cluster of " + address + " ("
        + state.members().size() + " members)");
  }

  @Override
  public CompletableFuture<String> leave() {
    try {
      int owned = membership.leave().size();
      return CompletableFuture.completedFuture("leaving: the " + owned + " partitions it owns"
          + " and every replica it holds are handed off to their new replicas; the node serves"
          + " until they hold them, then reports left (ringkv members); stop it only then");
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** A refused admin request: a bad argument (a node id, a partition) is a 400, never a 500. */
  private static <T> CompletableFuture<T> refused(RuntimeException e) {
    return CompletableFuture.failedFuture(e instanceof IllegalArgumentException
        ? new RingkvException(ErrorCode.INVALID_ARGUMENT, e.getMessage()) : e);
  }

  private static HostPort seedAddress(String seed) {
    try {
      return HostPort.parse(seed);
    } catch (RuntimeException e) {
      throw new RingkvException(ErrorCode.INVALID_ARGUMENT, "seed '" + seed
          + "' is not host:port: " + e.getMessage());
    }
  }
}
