package io.ringkv.transport.netty;

import io.ringkv.api.Actor;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.QuorumSpec;
import io.ringkv.api.RingkvException;
import io.ringkv.api.Scheduler;
import io.ringkv.api.Siblings;
import io.ringkv.api.spi.PluginContext;
import io.ringkv.replication.BucketPolicies;
import io.ringkv.replication.BucketPolicy;
import io.ringkv.replication.LocalNetwork;
import io.ringkv.replication.ReplicaNode;
import io.ringkv.resolver.ResolverRegistry;
import io.ringkv.ring.Ring;
import io.ringkv.storage.spi.StorageEngines;
import io.ringkv.transport.netty.client.ClientView;
import io.ringkv.transport.netty.http.ClusterView;
import io.ringkv.transport.netty.http.MemberView;
import io.ringkv.transport.netty.http.RingView;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Three real nodes over the in-process {@link LocalNetwork} with a direct executor: every request
 * completes on the caller's thread, so handler tests on an {@code EmbeddedChannel} see their
 * answers at once. Timers never fire (nothing waits for one: a disconnected node fails fast).
 */
public final class SyncCluster {
  public final LocalNetwork network = new LocalNetwork(Runnable::run);
  public final List<NodeId> ids = List.of(NodeId.of("n1"), NodeId.of("n2"), NodeId.of("n3"));
  public final Ring ring = Ring.create(16, ids);
  private final Map<NodeId, ReplicaNode> nodes = new LinkedHashMap<>();

  public SyncCluster() {
    ResolverRegistry registry = ResolverRegistry.create(List.of());
    PluginContext ctx = PluginContext.of(ids.get(0), Clock.systemUTC());
    QuorumSpec quorum = new QuorumSpec(3, 2, 2);
    BucketPolicies policies = BucketPolicies.of(
        new BucketPolicy(quorum, "siblings", registry.create("siblings", Map.of(), ctx)),
        Map.of("scores", new BucketPolicy(quorum, "lww", registry.create("lww", Map.of(), ctx))));
    Scheduler never = (delay, task) -> () -> { };
    long epoch = 1;
    for (NodeId id : ids) {
      ReplicaNode node = ReplicaNode.builder().actor(new Actor(id, epoch++))
          .engine(StorageEngines.inMemory(ring::partitionOf)).ring(() -> ring)
          .network(network.endpoint(id)).scheduler(never).policies(policies).build();
      nodes.put(id, node);
      network.register(id, node.handler());
    }
  }

  public ReplicaNode node(int oneBased) {
    return nodes.get(ids.get(oneBased - 1));
  }

  /** Node n1's view: replicas read straight from each node's engine; a disconnected one fails. */
  public ClusterView view() {
    return new ClusterView() {
      @Override
      public NodeId self() {
        return ids.get(0);
      }

      @Override
      public List<NodeId> preferenceList(Key key) {
        return ring.preferenceList(key, 3).primaries();
      }

      @Override
      public Map<NodeId, CompletableFuture<Siblings>> fetchReplicas(Key key) {
        Map<NodeId, CompletableFuture<Siblings>> m = new LinkedHashMap<>();
        for (NodeId n : preferenceList(key)) {
          m.put(n, network.isConnected(n)
              ? CompletableFuture.completedFuture(nodes.get(n).local(key))
              : CompletableFuture.failedFuture(new RingkvException(ErrorCode.UNAVAILABLE, "down")));
        }
        return m;
      }

      @Override
      public Map<NodeId, CompletableFuture<Map<NodeId, Siblings>>> hints(Key key) {
        Map<NodeId, CompletableFuture<Map<NodeId, Siblings>>> m = new LinkedHashMap<>();
        for (NodeId id : ids) {
          if (network.isConnected(id)) {
            m.put(id, CompletableFuture.completedFuture(nodes.get(id).hints(key)));
          }
        }
        return m;
      }

      @Override
      public RingView ring() {
        return new RingView(7, ring);
      }

      @Override
      public CompletableFuture<String> repair(java.util.OptionalInt partition, boolean wait) {
        try {
          return nodes.get(ids.get(0)).repair(partition).thenApply(r -> wait
              ? r.exchanges() + " exchanges, " + r.keysRepaired() + " keys repaired" : "started");
        } catch (IllegalArgumentException e) {
          return CompletableFuture.failedFuture(
              new RingkvException(ErrorCode.INVALID_ARGUMENT, e.getMessage()));
        }
      }

      @Override
      public List<MemberView> members() {
        List<MemberView> m = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
          m.add(new MemberView(ids.get(i), "127.0.0.1:700" + i, network.isConnected(ids.get(i))));
        }
        return m;
      }
    };
  }

  /**
   * What the binary protocol tells clients: the ring (version 7), each node on client port
   * 810i, up while connected, n 3 everywhere but bucket {@code scores} declared with 3 too.
   */
  public ClientView clientView() {
    return new ClientView() {
      @Override
      public long ringVersion() {
        return 7;
      }

      @Override
      public RingInfo ring() {
        List<Node> n = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
          n.add(new Node(ids.get(i), "127.0.0.1", 8101 + i, network.isConnected(ids.get(i))));
        }
        return new RingInfo(7, ring, n, 3, Map.of("scores", 3));
      }
    };
  }
}
