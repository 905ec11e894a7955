package io.ringkv.testkit.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.testkit.net.Partition.Mode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three stand-in nodes, each an echo server behind its own {@link FaultProxy}, connecting from
 * 127.0.0.11, .12 and .13: {@link Partition} cuts exactly the links it names, both ways, and
 * heals them.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PartitionIT {
  private static final int BOUND_MILLIS = 2_000;
  private static final int SILENCE_MILLIS = 200;
  private static final List<String> NODES = List.of("n1", "n2", "n3");

  private final Map<String, EchoServer> servers = new LinkedHashMap<>();
  private final Map<String, FaultProxy> proxies = new LinkedHashMap<>();
  private final Map<String, String> sources = new LinkedHashMap<>();
  private final List<Socket> clients = new ArrayList<>();
  private Partition partition;

  @BeforeEach
  void start() throws IOException {
    for (String node : NODES) {
      EchoServer server = EchoServer.start();
      servers.put(node, server);
      proxies.put(node, FaultProxy.start(new InetSocketAddress("127.0.0.1", 0), server.address()));
      sources.put(node, "127.0.0.1" + node.substring(1));
    }
    partition = new Partition(proxies, sources);
  }

  @AfterEach
  void stop() throws Exception {
    for (Socket client : clients) {
      client.close();
    }
    for (FaultProxy proxy : proxies.values()) {
      proxy.close();
    }
    for (EchoServer server : servers.values()) {
      server.close();
    }
  }

  @Test
  void isolateCutsTheNodeBothWaysAndLeavesTheRestConnected() throws Exception {
    partition.isolate("n1");

    assertRefused("n2", "n1");
    assertRefused("n3", "n1");
    assertRefused("n1", "n2");
    assertRefused("n1", "n3");
    assertReaches("n2", "n3");
    assertReaches("n3", "n2");

    partition.heal();

    assertReaches("n2", "n1");
    assertReaches("n1", "n3");
  }

  @Test
  void splitWithBlackholeSilencesLinksAcrossTheSidesOnly() throws Exception {
    Socket across = connect("n1", "n3");
    assertThat(roundTrip(across, "x")).isEqualTo("x");

    partition.split(Set.of("n1", "n2"), Mode.BLACKHOLE);

    assertSilent(across);
    assertSilent(connect("n3", "n2"));
    assertReaches("n1", "n2");
    assertReaches("n2", "n1");

    partition.heal();

    assertCut(across);
    assertReaches("n1", "n3");
    assertReaches("n3", "n2");
  }

  @Test
  void cutIsOneWay() throws Exception {
    partition.cut("n1", "n2", Mode.BLOCK);

    assertRefused("n1", "n2");
    assertReaches("n2", "n1");
  }

  @Test
  void rejectsUnknownNodesAndOneSidedSplits() {
    assertThatThrownBy(() -> partition.isolate("n9")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown node 'n9'").hasMessageContaining("n1");
    assertThatThrownBy(() -> partition.split(Set.of("n1", "n2", "n3")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both sides");
    assertThatThrownBy(() -> new Partition(proxies, Map.of("n1", "127.0.0.11")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same nodes");
    Map<String, String> shared = new LinkedHashMap<>(sources);
    shared.put("n3", sources.get("n2"));
    assertThatThrownBy(() -> new Partition(proxies, shared))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("its own source host");
  }

  /** A connection as node {@code from} would open it to node {@code to}: to to's proxy, from from's host. */
  private Socket connect(String from, String to) throws IOException {
    Socket socket = new Socket();
    clients.add(socket);
    socket.bind(new InetSocketAddress(sources.get(from), 0));
    socket.connect(proxies.get(to).address(), BOUND_MILLIS);
    socket.setSoTimeout(BOUND_MILLIS);
    return socket;
  }

  private void assertReaches(String from, String to) throws IOException {
    assertThat(roundTrip(connect(from, to), from + "->" + to)).isEqualTo(from + "->" + to);
  }

  private static String roundTrip(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    return new String(socket.getInputStream().readNBytes(text.length()), StandardCharsets.UTF_8);
  }

  /** A new connection is cut at once: the connect or the first read fails, without timing out. */
  private void assertRefused(String from, String to) {
    Socket socket;
    try {
      socket = connect(from, to);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the connect timed out instead of failing", e);
    } catch (IOException e) {
      return; // the reset arrived before the handshake was seen through
    }
    assertCut(socket);
  }

  private static void assertCut(Socket socket) {
    try {
      assertThat(socket.getInputStream().read()).as("a cut connection ends its stream").isEqualTo(-1);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the connection is still open: the read timed out", e);
    } catch (IOException e) {
      // reset: the usual way the proxy cuts a link
    }
  }

  private static void assertSilent(Socket socket) throws IOException {
    socket.getOutputStream().write('?');
    socket.setSoTimeout(SILENCE_MILLIS);
    assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
    socket.setSoTimeout(BOUND_MILLIS);
  }
}
