package io.ringkv.transport.netty.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import io.ringkv.api.Siblings;
import io.ringkv.replication.api.ReplicaHandler;
import io.ringkv.replication.api.ReplicaRequest;
import io.ringkv.replication.api.ReplicaResponse;
import io.ringkv.transport.netty.EventLoops;
import io.ringkv.transport.netty.Versions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The transport over real loopback sockets: ephemeral ports, every wait bounded. */
class NettyTransportLoopbackTest {
  private static final NodeId CLIENT = NodeId.of("client");
  private static final NodeId SERVER = NodeId.of("server");
  private static final Key KEY = Key.of("b", "k");

  private final EventLoopGroup group = EventLoops.create(2, "loopback-test");
  private final Map<NodeId, InetSocketAddress> addresses = new ConcurrentHashMap<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  /** Answers Fetch with the key's siblings; never answers a key named "never". */
  private final ReplicaHandler handler = (from, request) -> {
    Key key = ((ReplicaRequest.Fetch) request).key();
    if (key.key().equals("never")) {
      return new CompletableFuture<>();
    }
    return CompletableFuture.completedFuture(new ReplicaResponse.Fetched(Siblings.of(
        Versions.version(from.value() + "/" + key.key(), Versions.actor("n1", 1), 1,
            io.ringkv.api.VectorClock.empty(), 5))));
  };

  @AfterEach
  void close() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    EventLoops.shutdown(group);
  }

  private NettyReplicaServer server(int port, TransportSettings settings) {
    NettyReplicaServer s = NettyReplicaServer.builder(handler).host("127.0.0.1").port(port)
        .settings(settings).eventLoopGroup(group).start();
    closeables.add(s);
    addresses.put(SERVER, s.address());
    return s;
  }

  private NettyReplicaNetwork network(TransportSettings settings) {
    NettyReplicaNetwork n = NettyReplicaNetwork.builder(CLIENT, addresses::get).settings(settings)
        .eventLoopGroup(group).build();
    closeables.add(n);
    return n;
  }

  private static <T> T get(CompletableFuture<T> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  private static RingkvException failure(CompletableFuture<?> f) {
    Throwable t = catchThrowable(() -> f.get(10, TimeUnit.SECONDS));
    assertThat(t).isInstanceOf(ExecutionException.class);
    assertThat(t.getCause()).isInstanceOf(RingkvException.class);
    return (RingkvException) t.getCause();
  }

  private static ReplicaRequest fetch(String key) {
    return new ReplicaRequest.Fetch(Key.of("b", key));
  }

  private static String value(ReplicaResponse r) {
    return ((ReplicaResponse.Fetched) r).siblings().versions().get(0).value().toUtf8();
  }

  @Test
  void requestsAndAnswersOverLoopbackManyAtOnce() throws Exception {
    server(0, TransportSettings.DEFAULTS);
    NettyReplicaNetwork network = network(TransportSettings.DEFAULTS);
    List<CompletableFuture<ReplicaResponse>> answers = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      answers.add(network.send(SERVER, fetch("k" + i)));
    }
    for (int i = 0; i < 200; i++) {
      assertThat(value(get(answers.get(i)))).isEqualTo("client/k" + i);
    }
    assertThat(network.inFlight(addresses.get(SERVER))).isZero();
  }

  @Test
  void aServerThatNeverAnswersTimesTheRequestOut() {
    server(0, TransportSettings.DEFAULTS);
    NettyReplicaNetwork network = network(TransportSettings.DEFAULTS
        .withRequestTimeout(Duration.ofMillis(200)));
    RingkvException e = failure(network.send(SERVER, fetch("never")));
    assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(e).hasMessageMatching("node server \\(127\\.0\\.0\\.1:\\d+\\) did not answer Fetch in 200 ms");
    assertThat(network.inFlight(addresses.get(SERVER))).isZero();
  }

  @Test
  void theNetworkReconnectsAfterTheServerRestarts() throws Exception {
    NettyReplicaServer first = server(0, TransportSettings.DEFAULTS);
    int port = first.address().getPort();
    NettyReplicaNetwork network = network(TransportSettings.DEFAULTS
        .withReconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(100)));
    assertThat(value(get(network.send(SERVER, fetch("a"))))).isEqualTo("client/a");

    first.close();
    RingkvException down = failure(network.send(SERVER, fetch("b")));
    assertThat(down.code()).isEqualTo(ErrorCode.UNAVAILABLE);

    server(port, TransportSettings.DEFAULTS);
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
      CompletableFuture<ReplicaResponse> f = network.send(SERVER, fetch("c"));
      return f.handle((r, e) -> e == null && value(r).equals("client/c")).get(5, TimeUnit.SECONDS);
    });
  }

  @Test
  void anUnreachablePeerFailsFastNamingTheCause() {
    NettyReplicaServer s = server(0, TransportSettings.DEFAULTS);
    s.close(); // the port is now closed: connection refused
    // A backoff long enough that a loaded machine cannot outlast it between the two sends.
    TransportSettings d = TransportSettings.DEFAULTS;
    NettyReplicaNetwork network = network(new TransportSettings(d.connectionsPerPeer(),
        d.maxInFlightPerPeer(), d.maxFrameBytes(), d.requestTimeout(), d.connectTimeout(),
        Duration.ofSeconds(30), Duration.ofSeconds(60)));
    RingkvException e = failure(network.send(SERVER, fetch("a")));
    assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(e).hasMessageContaining("cannot connect to node server");
    // Within the backoff the next send does not even try.
    RingkvException again = failure(network.send(SERVER, fetch("a")));
    assertThat(again).hasMessageContaining("is unreachable").hasMessageContaining("next connection attempt in");
  }

  @Test
  void aNodeWithoutKnownAddressFails() {
    NettyReplicaNetwork network = network(TransportSettings.DEFAULTS);
    RingkvException e = failure(network.send(NodeId.of("ghost"), fetch("a")));
    assertThat(e).hasMessage("no address is known for node ghost");
  }

  @Test
  void requestsInFlightToOnePeerAreBounded() throws Exception {
    server(0, TransportSettings.DEFAULTS);
    NettyReplicaNetwork network = network(TransportSettings.DEFAULTS.withMaxInFlightPerPeer(4)
        .withRequestTimeout(Duration.ofSeconds(30)));
    List<CompletableFuture<ReplicaResponse>> stuck = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      stuck.add(network.send(SERVER, fetch("never")));
    }
    RingkvException refused = failure(network.send(SERVER, fetch("a")));
    assertThat(refused.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(refused).hasMessageContaining("has 4 requests in flight (the limit)");
    assertThat(stuck).allMatch(f -> !f.isDone());
    assertThat(network.inFlight(addresses.get(SERVER))).isEqualTo(4);

    // Closing the network fails the stuck ones and frees the budget.
    network.close();
    for (CompletableFuture<ReplicaResponse> f : stuck) {
      assertThat(failure(f).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    }
    assertThat(network.inFlight(addresses.get(SERVER))).isZero();
  }

  @Test
  void anOversizedFrameClosesThatConnectionAndFailsItsRequestsButNotTheServer() throws Exception {
    server(0, TransportSettings.DEFAULTS.withMaxFrameBytes(2048));
    NettyReplicaNetwork big = network(TransportSettings.DEFAULTS);
    byte[] tooLarge = new byte[4096];
    RingkvException e = failure(big.exchange(addresses.get(SERVER), tooLarge));
    assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    // The server is still healthy for well-behaved requests.
    assertThat(value(get(big.send(SERVER, fetch("after"))))).isEqualTo("client/after");
  }

  @Test
  void anOutgoingMessageOverTheLimitFailsAloneWithTooLarge() throws Exception {
    server(0, TransportSettings.DEFAULTS);
    NettyReplicaNetwork network = network(TransportSettings.DEFAULTS.withMaxFrameBytes(2048));
    RingkvException e = failure(network.exchange(addresses.get(SERVER), new byte[4096]));
    assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE);
    assertThat(value(get(network.send(SERVER, fetch("x"))))).isEqualTo("client/x");
  }

  @Test
  void gossipIsExchangedWithTheRegisteredHandler() throws Exception {
    NettyReplicaServer s = server(0, TransportSettings.DEFAULTS);
    NettyReplicaNetwork network = network(TransportSettings.DEFAULTS);
    InetSocketAddress a = s.address();
    RingkvException none = failure(network.exchange(a.getHostString(), a.getPort(), new byte[] {1}));
    assertThat(none).hasMessageContaining("no gossip handler");
    s.onGossip(in -> CompletableFuture.completedFuture(new byte[] {(byte) (in[0] + 1)}));
    assertThat(get(network.exchange(a.getHostString(), a.getPort(), new byte[] {41})))
        .containsExactly(42);
  }
}
