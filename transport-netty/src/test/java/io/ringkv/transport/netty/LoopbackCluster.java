package io.ringkv.transport.netty;

import io.netty.channel.EventLoopGroup;
import io.ringkv.api.Actor;
import io.ringkv.api.Key;
import io.ringkv.api.KvStore;
import io.ringkv.api.NodeId;
import io.ringkv.api.QuorumSpec;
import io.ringkv.api.Scheduler;
import io.ringkv.api.Siblings;
import io.ringkv.api.spi.PluginContext;
import io.ringkv.replication.BucketPolicies;
import io.ringkv.replication.BucketPolicy;
import io.ringkv.replication.ReplicaNode;
import io.ringkv.replication.ReplicationSettings;
import io.ringkv.replication.api.ReplicaRequest;
import io.ringkv.replication.api.ReplicaResponse;
import io.ringkv.resolver.ResolverRegistry;
import io.ringkv.ring.Ring;
import io.ringkv.storage.spi.StorageEngines;
import io.ringkv.transport.netty.http.ClusterView;
import io.ringkv.transport.netty.http.MemberView;
import io.ringkv.transport.netty.http.RingView;
import io.ringkv.transport.netty.peer.NettyReplicaNetwork;
import io.ringkv.transport.netty.peer.NettyReplicaServer;
import io.ringkv.transport.netty.peer.TransportSettings;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Three (or more) real {@link ReplicaNode}s with in-memory engines, each behind a
 * {@link NettyReplicaServer} on a loopback ephemeral port and talking through its own
 * {@link NettyReplicaNetwork}; one shared event loop group and one timer thread. Buckets:
 * the default uses {@code siblings}, {@code scores} uses {@code lww}; quorum (3, 2, 2).
 */
public final class LoopbackCluster implements AutoCloseable {
  public final EventLoopGroup group = EventLoops.create(2, "test-loop");
  final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "test-timer");
    t.setDaemon(true);
    return t;
  });
  public final Ring ring;
  public final List<NodeId> ids = new ArrayList<>();
  private final Map<NodeId, InetSocketAddress> addresses = new ConcurrentHashMap<>();
  private final Map<NodeId, ReplicaNode> nodes = new LinkedHashMap<>();
  private final Map<NodeId, NettyReplicaNetwork> networks = new HashMap<>();
  private final Map<NodeId, NettyReplicaServer> servers = new ConcurrentHashMap<>();
  private final TransportSettings transport;

  public LoopbackCluster(int size, Duration requestTimeout) {
    this.transport = TransportSettings.DEFAULTS
        .withReconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200));
    for (int i = 1; i <= size; i++) {
      ids.add(NodeId.of("n" + i));
    }
    ring = Ring.create(16, ids);
    ResolverRegistry registry = ResolverRegistry.create(List.of());
    QuorumSpec quorum = new QuorumSpec(3, 2, 2);
    PluginContext ctx = PluginContext.of(ids.get(0), Clock.systemUTC());
    BucketPolicy siblings = new BucketPolicy(quorum, "siblings",
        registry.create("siblings", Map.of(), ctx));
    BucketPolicy lww = new BucketPolicy(quorum, "lww", registry.create("lww", Map.of(), ctx));
    BucketPolicies policies = BucketPolicies.of(siblings, Map.of("scores", lww));
    ReplicationSettings settings = ReplicationSettings.DEFAULTS.withRequestTimeout(requestTimeout);
    long epoch = 1;
    for (NodeId id : ids) {
      NettyReplicaNetwork network = NettyReplicaNetwork.builder(id, addresses::get)
          .settings(transport).eventLoopGroup(group).build();
      networks.put(id, network);
      ReplicaNode node = ReplicaNode.builder()
          .actor(new Actor(id, epoch++))
          .engine(StorageEngines.inMemory(ring::partitionOf))
          .ring(() -> ring)
          .network(network)
          .scheduler(Scheduler.of(timer))
          .policies(policies)
          .settings(settings)
          .build();
      nodes.put(id, node);
      startServer(id, 0);
    }
  }

  public void startServer(NodeId id, int port) {
    NettyReplicaServer server = NettyReplicaServer.builder(nodes.get(id).handler())
        .host("127.0.0.1").port(port).settings(transport).eventLoopGroup(group).start();
    servers.put(id, server);
    addresses.put(id, server.address());
  }

  /** Closes the node's server, as if its process had died (its peers cannot reach it). */
  public void stopServer(NodeId id) {
    servers.remove(id).close();
  }

  public void restartServer(NodeId id) {
    startServer(id, addresses.get(id).getPort());
  }

  public boolean isServing(NodeId id) {
    return servers.containsKey(id);
  }

  public InetSocketAddress address(NodeId id) {
    return addresses.get(id);
  }

  public ReplicaNode node(int oneBased) {
    return nodes.get(ids.get(oneBased - 1));
  }

  public ReplicaNode node(NodeId id) {
    return nodes.get(id);
  }

  public KvStore store(int oneBased) {
    return node(oneBased).store();
  }

  public NettyReplicaNetwork network(NodeId id) {
    return networks.get(id);
  }

  public List<NodeId> replicas(Key key) {
    return ring.preferenceList(key, 3).primaries();
  }

  /** The {@link ClusterView} of node {@code self}: replicas fetched over the network. */
  public ClusterView view(NodeId self) {
    LoopbackCluster cluster = this;
    return new ClusterView() {
      @Override
      public NodeId self() {
        return self;
      }

      @Override
      public List<NodeId> preferenceList(Key key) {
        return cluster.replicas(key);
      }

      @Override
      public Map<NodeId, CompletableFuture<Siblings>> fetchReplicas(Key key) {
        Map<NodeId, CompletableFuture<Siblings>> m = new LinkedHashMap<>();
        for (NodeId n : replicas(key)) {
          m.put(n, n.equals(self) ? CompletableFuture.completedFuture(nodes.get(n).local(key))
              : networks.get(self).send(n, new ReplicaRequest.Fetch(key))
                  .thenApply(r -> ((ReplicaResponse.Fetched) r).siblings()));
        }
        return m;
      }

      @Override
      public RingView ring() {
        return new RingView(1, cluster.ring);
      }

      @Override
      public List<MemberView> members() {
        List<MemberView> m = new ArrayList<>();
        for (NodeId n : ids) {
          InetSocketAddress a = addresses.get(n);
          m.add(new MemberView(n, a.getHostString() + ":" + a.getPort(), isServing(n)));
        }
        return m;
      }
    };
  }

  @Override
  public void close() {
    servers.values().forEach(NettyReplicaServer::close);
    networks.values().forEach(NettyReplicaNetwork::close);
    timer.shutdownNow();
    EventLoops.shutdown(group);
  }
}
