package io.ringkv.transport.netty.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;
import io.ringkv.replication.api.ReplicaHandler;
import io.ringkv.replication.api.ReplicaRequest;
import io.ringkv.replication.api.ReplicaResponse;
import io.ringkv.transport.netty.EventLoops;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A peer whose port refuses connections is reported at once (so membership marks it down for
 * routing without waiting for the failure detector), and once it is back, {@code peerIsBack}
 * lets the next send connect at once instead of failing fast through a long backoff.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RefusedPeerIT {
  private static final NodeId CLIENT = NodeId.of("client");
  private static final NodeId SERVER = NodeId.of("server");
  private final EventLoopGroup group = EventLoops.create(2, "refused-test");
  private final List<InetSocketAddress> refused = new CopyOnWriteArrayList<>();
  private NettyReplicaServer server;
  private NettyReplicaNetwork network;
  private volatile InetSocketAddress address;

  private final ReplicaHandler handler = (from, request) -> CompletableFuture.completedFuture(
      new ReplicaResponse.Fetched(Siblings.empty()));

  @AfterEach
  void close() {
    if (network != null) {
      network.close();
    }
    if (server != null) {
      server.close();
    }
    EventLoops.shutdown(group);
  }

  @Test
  void aRefusedConnectionIsReportedAndABackPeerIsReachedAtOnce() throws Exception {
    server = NettyReplicaServer.builder(handler).host("127.0.0.1").port(0)
        .eventLoopGroup(group).start();
    address = server.address();
    server.close(); // the port refuses from now on
    TransportSettings d = TransportSettings.DEFAULTS;
    network = NettyReplicaNetwork.builder(CLIENT, id -> address)
        .settings(new TransportSettings(d.connectionsPerPeer(), d.maxInFlightPerPeer(),
            d.maxFrameBytes(), d.requestTimeout(), d.connectTimeout(), Duration.ofSeconds(30),
            Duration.ofSeconds(60)))
        .onRefused(refused::add).eventLoopGroup(group).build();
    ReplicaRequest fetch = new ReplicaRequest.Fetch(Key.of("b", "k"));

    assertThat(network.send(SERVER, fetch)).failsWithin(Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(10)).until(() -> !refused.isEmpty());
    assertThat(refused.get(0).getPort()).isEqualTo(address.getPort());

    server = NettyReplicaServer.builder(handler).host("127.0.0.1").port(address.getPort())
        .eventLoopGroup(group).start();
    assertThat(network.send(SERVER, fetch)).as("within the 30 s backoff it fails fast")
        .failsWithin(Duration.ofSeconds(10));
    network.peerIsBack(address);
    assertThat(network.send(SERVER, fetch).get(10, TimeUnit.SECONDS))
        .isInstanceOf(ReplicaResponse.Fetched.class);
  }
}
