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
import io.ringkv.replication.ReplicaNode;
import io.ringkv.replication.RoundReport;
import io.ringkv.replication.api.ReplicaNetwork;
import io.ringkv.replication.api.ReplicaRequest;
import io.ringkv.replication.api.ReplicaResponse;
import io.ringkv.storage.spi.HintBacklog;
import io.ringkv.transport.netty.http.ClusterView;
import io.ringkv.transport.netty.http.MemberView;
import io.ringkv.transport.netty.http.RingView;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
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
          exchanges.getOrDefault(m.id(), List.of())));
    }
    return views;
  }

  @Override
  public CompletableFuture<String> repair(OptionalInt partition, boolean wait) {
    CompletableFuture<RoundReport> round;
    try {
      round = node.repair(partition);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(new RingkvException(ErrorCode.INVALID_ARGUMENT,
          e.getMessage()));
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
      address = HostPort.parse(seed);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(new RingkvException(ErrorCode.INVALID_ARGUMENT,
          "seed '" + seed + "' is not host:port: " + e.getMessage()));
    }
    return membership.join(address).thenApply(state -> "joined the cluster of " + address + " ("
        + state.members().size() + " members)");
  }

  @Override
  public CompletableFuture<String> leave() {
    try {
      int moved = membership.leave().size();
      membership.completeLeave();
      return CompletableFuture.completedFuture("left the ring: " + moved + " partitions moved to"
          + " other nodes; their data is not streamed yet (read repair fills the new replicas)");
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
