package io.ringkv.client;

import io.ringkv.api.Actor;
import io.ringkv.api.NodeId;
import io.ringkv.api.QuorumSpec;
import io.ringkv.api.Scheduler;
import io.ringkv.api.spi.PluginContext;
import io.ringkv.replication.BucketPolicies;
import io.ringkv.replication.BucketPolicy;
import io.ringkv.replication.LocalNetwork;
import io.ringkv.replication.ReplicaNode;
import io.ringkv.resolver.ResolverRegistry;
import io.ringkv.ring.Ring;
import io.ringkv.storage.spi.StorageEngines;
import io.ringkv.transport.netty.client.ClientProtocolServer;
import io.ringkv.transport.netty.client.ClientSettings;
import io.ringkv.transport.netty.client.ClientView;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Three real nodes (coordinators and in-memory engines over the in-process network), each
 * serving the real binary client protocol on a loopback port of its own: what the client talks
 * to in these tests. n=3, r=2, w=2 everywhere; bucket {@code scores} resolves by
 * last-writer-wins ({@code lww}), every other bucket keeps siblings.
 */
final class Cluster implements AutoCloseable {
  static final int VALUE_LIMIT = 64 * 1024;
  final LocalNetwork network = new LocalNetwork(Runnable::run);
  final List<NodeId> ids = List.of(NodeId.of("n1"), NodeId.of("n2"), NodeId.of("n3"));
  final Ring ring = Ring.create(16, ids);
  final AtomicLong ringVersion = new AtomicLong(1);
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
  private final List<ReplicaNode> nodes = new ArrayList<>();
  private final List<ClientProtocolServer> servers = new ArrayList<>();
  private final int[] ports = new int[3];
  private final Set<NodeId> down = ConcurrentHashMap.newKeySet();

  Cluster() {
    ResolverRegistry registry = ResolverRegistry.create(List.of());
    PluginContext ctx = PluginContext.of(ids.get(0), Clock.systemUTC());
    QuorumSpec quorum = new QuorumSpec(3, 2, 2);
    BucketPolicies policies = BucketPolicies.of(
        new BucketPolicy(quorum, "siblings", registry.create("siblings", Map.of(), ctx)),
        Map.of("scores", new BucketPolicy(quorum, "lww", registry.create("lww", Map.of(), ctx))));
    Scheduler scheduler = Scheduler.of(timers);
    long epoch = 1;
    for (NodeId id : ids) {
      ReplicaNode node = ReplicaNode.builder().actor(new Actor(id, epoch++))
          .engine(StorageEngines.inMemory(ring::partitionOf)).ring(() -> ring)
          .liveness(n -> !down.contains(n))
          .network(network.endpoint(id)).scheduler(scheduler).policies(policies).build();
      nodes.add(node);
      network.register(id, node.handler());
    }
    for (int i = 0; i < ids.size(); i++) {
      ClientProtocolServer server = ClientProtocolServer.builder(nodes.get(i).store(), view())
          .settings(ClientSettings.DEFAULTS.withPort(0).withMaxValueBytes(VALUE_LIMIT)).start();
      servers.add(server);
      ports[i] = server.address().getPort();
    }
  }

  /** Every node's view: the ring, each node at its port, up unless killed. */
  private ClientView view() {
    return new ClientView() {
      @Override
      public long ringVersion() {
        return ringVersion.get();
      }

      @Override
      public RingInfo ring() {
        List<Node> n = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
          n.add(new Node(ids.get(i), "127.0.0.1", ports[i], !down.contains(ids.get(i))));
        }
        return new RingInfo(ringVersion.get(), ring, n, 3, Map.of("scores", 3));
      }
    };
  }

  /** {@code host:port} of node i (0-based). */
  String seed(int i) {
    return "127.0.0.1:" + ports[i];
  }

  String[] seeds() {
    return new String[] {seed(0), seed(1), seed(2)};
  }

  /** Kills node i: its client port closes and its peers lose it (their detector too). */
  void kill(int i) {
    servers.get(i).close();
    network.disconnect(ids.get(i));
    down.add(ids.get(i));
  }

  /** Forwards made by every node: a request a node took but did not coordinate itself. */
  long forwards() {
    return nodes.stream().mapToLong(ReplicaNode::forwardedRequests).sum();
  }

  ReplicaNode node(int i) {
    return nodes.get(i);
  }

  @Override
  public void close() {
    servers.forEach(ClientProtocolServer::close);
    nodes.forEach(ReplicaNode::close);
    timers.shutdownNow();
  }
}
