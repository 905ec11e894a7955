package io.ringkv.server.node;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import io.ringkv.api.Scheduler;
import io.ringkv.membership.ClusterState;
import io.ringkv.membership.ClusterStateCodec;
import io.ringkv.membership.GossipTransport;
import io.ringkv.membership.HostPort;
import io.ringkv.membership.Member;
import io.ringkv.membership.Membership;
import io.ringkv.membership.PhiAccrualFailureDetector;
import io.ringkv.replication.Liveness;
import io.ringkv.replication.RingChange;
import io.ringkv.replication.api.ReplicaNetwork;
import io.ringkv.ring.Ring;
import io.ringkv.server.config.ServerConfig;
import io.ringkv.server.wiring.Topology;
import io.ringkv.transport.netty.NettyRuntime;
import io.ringkv.transport.netty.peer.NettyReplicaNetwork;
import jakarta.inject.Named;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What a node of a networked cluster runs over: Netty for node-to-node messages and gossip, the
 * gossiped membership for the ring and for which peers are up, one shared timer, the wall clock
 * and the metrics registry.
 */
public final class NetworkModule extends AbstractModule {
  private final ServerConfig config;

  public NetworkModule(ServerConfig config) {
    this.config = config;
  }

  @Override
  protected void configure() {
    bind(ServerConfig.class).toInstance(config);
    bind(ReplicaNetwork.class).to(NettyReplicaNetwork.class);
  }

  @Provides
  @Singleton
  NettyRuntime netty() {
    return NettyRuntime.create(2, "ringkv-io");
  }

  @Provides
  @Singleton
  ScheduledExecutorService timer() {
    AtomicInteger n = new AtomicInteger();
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "ringkv-timer-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    // Nearly every request timeout is cancelled: its answers came first. Left in the queue, a
    // cancelled timeout woke the timer thread at its deadline all the same, thousands of times a
    // second under load; removed at once, the queue holds only the requests in flight.
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  @Provides
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  @Provides
  @Singleton
  PrometheusMeterRegistry metrics() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /**
   * Peers are found by their gossiped address; a peer whose address refuses a connection is
   * marked down at once (membership's suspicion), without waiting for the failure detector.
   */
  @Provides
  @Singleton
  NettyReplicaNetwork network(NodeId self, Provider<Membership> membership, NettyRuntime netty) {
    return NettyReplicaNetwork.builder(self, node -> {
      Member m = membership.get().knownMember(node).orElseThrow(() ->
          new RingkvException(ErrorCode.UNAVAILABLE, "node " + node + " is not a known member"));
      return new InetSocketAddress(m.host(), m.port());
    }).runtime(netty).localHost(outgoingHost(config.node().host())).onRefused(address -> {
      Membership m = membership.get();
      for (Member member : m.current().members().values()) {
        if (member.port() == address.getPort() && sameHost(member.host(), address)) {
          m.suspect(member.id());
        }
      }
    }).build();
  }

  /**
   * The address outgoing peer connections leave from: {@code node.host} when it names one
   * interface (so peers and proxies see which node connects), none for a wildcard.
   */
  private static String outgoingHost(String host) {
    String h = host.trim();
    return h.equals("0.0.0.0") || h.equals("::") || h.equals("[::]") || h.equals("*") ? null : h;
  }

  private static boolean sameHost(String host, InetSocketAddress address) {
    return host.equals(address.getHostString()) || (address.getAddress() != null
        && host.equals(address.getAddress().getHostAddress()));
  }

  /** The cluster state kept in the data folder, so a restart serves from its own ring. */
  @Provides
  @Singleton
  ClusterStateFile stateFile(@Named("dataDir") Path dataDir) {
    return new ClusterStateFile(dataDir);
  }

  @Provides
  @Singleton
  Membership membership(NodeId self, NettyReplicaNetwork network, ScheduledExecutorService timer,
      Clock clock, ClusterStateFile stored) {
    ServerConfig.MembershipConfig mc = config.membership();
    GossipTransport gossip = (peer, mine) -> network
        .exchange(peer.host(), peer.port(), ClusterStateCodec.encode(mine))
        .thenApply(ClusterStateCodec::decode);
    HostPort advertised = mc.advertised() == null
        ? new HostPort(config.node().host(), config.node().port())
        : new HostPort(mc.advertised().host(), mc.advertised().port());
    Member me = Member.joining(self, advertised, config.http().port(), config.clientPort(),
        clock.millis());
    List<HostPort> seeds = mc.seeds().stream().map(e -> new HostPort(e.host(), e.port())).toList();
    Membership membership = Membership.builder()
        .self(me)
        .seeds(seeds)
        .transport(gossip)
        .clock(clock)
        .scheduler(Scheduler.of(timer))
        .partitions(config.cluster().ring().partitions())
        .gossipInterval(mc.gossipInterval())
        .failureDetector(PhiAccrualFailureDetector.forGossip(mc.phiThreshold(),
            mc.gossipInterval(), mc.acceptablePause()))
        .initialState(stored.load().orElse(ClusterState.empty()))
        .autoReady(false) // the replication layer says when this node holds its new partitions
        .build();
    membership.addListener(stored::saveLater);
    membership.addLivenessListener((node, up) -> {
      if (up) {
        membership.current().member(node).ifPresent(m ->
            network.peerIsBack(new InetSocketAddress(m.host(), m.port())));
      }
    });
    return membership;
  }

  @Provides
  @Singleton
  Supplier<Ring> ring(Membership membership) {
    return membership::ring;
  }

  /** The ring change in progress and the members, from gossip; readiness goes back to it. */
  @Provides
  @Singleton
  Topology topology(Membership membership) {
    return new Topology() {
      @Override
      public Optional<RingChange> change() {
        ClusterState s = membership.current();
        return s.pendingRing().map(next -> {
          Set<NodeId> gone = new HashSet<>();
          s.members().values().forEach(m -> {
            if (m.status() == Member.Status.LEFT) {
              gone.add(m.id());
            }
          });
          return new RingChange(next, s.pendingVersion(), gone);
        });
      }

      @Override
      public Set<NodeId> members() {
        Set<NodeId> out = new HashSet<>();
        membership.current().members().values().forEach(m -> {
          if (m.status() != Member.Status.LEFT) {
            out.add(m.id());
          }
        });
        return out;
      }

      @Override
      public void ready(long version) {
        membership.markReady(version);
      }
    };
  }

  @Provides
  @Singleton
  Liveness liveness(Membership membership) {
    return membership::isUp;
  }
}
