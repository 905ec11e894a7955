package io.ringkv.testkit.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A {@link FaultProxy} in front of an echo server on 127.0.0.1, with clients bound to 127.0.0.2
 * and 127.0.0.3 as their source hosts: forwarding both ways, block, blackhole, heal and close,
 * seen from real sockets on loopback.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FaultProxyIT {
  private static final String PEER = "127.0.0.2";
  private static final String OTHER = "127.0.0.3";
  private static final Duration BOUND = Duration.ofSeconds(2);
  /** How long a read must stay unanswered to count as silence; every test waits it at most twice. */
  private static final int SILENCE_MILLIS = 200;

  private final List<Socket> clients = new ArrayList<>();
  private EchoServer echo;
  private FaultProxy proxy;

  @BeforeEach
  void start() throws IOException {
    echo = EchoServer.start();
    proxy = FaultProxy.start(new InetSocketAddress("127.0.0.1", 0), echo.address());
  }

  @AfterEach
  void stop() throws Exception {
    for (Socket client : clients) {
      client.close();
    }
    proxy.close();
    echo.close();
  }

  @Test
  void forwardsBothWaysUntilThePeersClose() throws Exception {
    Socket client = connect(PEER);
    assertThat(roundTrip(client, "hello")).isEqualTo("hello");
    Socket serverSide = echo.nextAccepted(BOUND);
    serverSide.getOutputStream().write(bytes("push"));
    assertThat(read(client, 4)).isEqualTo("push");

    await().atMost(BOUND).until(() -> proxy.bytesForwarded() == 5 + 5 + 4);
    assertThat(proxy.openConnections()).isEqualTo(1);
    assertThat(proxy.connectionsAccepted()).isEqualTo(1);
    assertThat(proxy.bytesDropped()).isZero();

    client.shutdownOutput(); // the echo server closes on end of stream, and the proxy passes that on
    assertThat(client.getInputStream().read()).isEqualTo(-1);
    await().atMost(BOUND).until(() -> proxy.openConnections() == 0);
  }

  @Test
  void blockCutsOpenAndNewConnectionsFromThatSourceOnly() throws Exception {
    Socket blocked = connect(PEER);
    Socket other = connect(OTHER);
    assertThat(roundTrip(blocked, "a")).isEqualTo("a");
    assertThat(roundTrip(other, "b")).isEqualTo("b");

    proxy.block(PEER);

    assertCut(blocked);
    assertThat(proxy.openConnections()).isEqualTo(1);
    assertRefused(PEER);
    assertThat(roundTrip(other, "still here")).isEqualTo("still here");
    assertThat(roundTrip(connect(OTHER), "new")).isEqualTo("new");
    await().atMost(BOUND).until(() -> proxy.connectionsAccepted() == 4);
    assertThat(echo.connections()).as("a blocked connection never reaches the target").isEqualTo(3);
  }

  @Test
  void blackholeDropsBytesBothWaysAndKeepsConnectionsOpen() throws Exception {
    Socket client = connect(PEER);
    assertThat(roundTrip(client, "hello")).isEqualTo("hello");
    Socket serverSide = echo.nextAccepted(BOUND);

    proxy.blackhole(PEER);
    client.getOutputStream().write(bytes("lost"));
    serverSide.getOutputStream().write(bytes("gone"));
    await().atMost(BOUND).until(() -> proxy.bytesDropped() == 8);

    assertSilent(client);
    assertThat(echo.received()).isEqualTo(5);
    Socket late = connect(PEER);
    late.getOutputStream().write(bytes("late"));
    await().atMost(BOUND).until(() -> proxy.bytesDropped() == 12);
    assertSilent(late);
    assertThat(proxy.openConnections()).isEqualTo(2);
    assertThat(echo.received()).isEqualTo(5);
    assertThat(roundTrip(connect(OTHER), "other")).isEqualTo("other");
  }

  @Test
  void healAfterABlockForwardsNewConnections() throws Exception {
    proxy.block(PEER);
    assertRefused(PEER);

    proxy.heal(PEER);

    assertThat(roundTrip(connect(PEER), "back")).isEqualTo("back");
  }

  @Test
  void healAfterABlackholeResetsTheSilencedConnectionsAndForwardsNewOnes() throws Exception {
    Socket silenced = connect(PEER);
    assertThat(roundTrip(silenced, "x")).isEqualTo("x");
    proxy.blackhole(PEER);

    proxy.heal(PEER);

    assertCut(silenced);
    assertThat(roundTrip(connect(PEER), "back")).isEqualTo("back");
    assertThat(proxy.openConnections()).isEqualTo(1);
  }

  @Test
  void blockAllCoversSourcesNotSeenYetAndAHealOverridesItForOneSource() throws Exception {
    proxy.blockAll();
    assertRefused("127.0.0.4");

    proxy.heal("127.0.0.4");
    assertThat(roundTrip(connect("127.0.0.4"), "one")).isEqualTo("one");
    assertRefused("127.0.0.5");

    proxy.healAll();
    assertThat(roundTrip(connect("127.0.0.5"), "all")).isEqualTo("all");
  }

  @Test
  void blackholeAllSilencesEverySource() throws Exception {
    proxy.blackholeAll();
    Socket client = connect("127.0.0.6");
    client.getOutputStream().write(bytes("hush"));
    await().atMost(BOUND).until(() -> proxy.bytesDropped() == 4);
    assertSilent(client);

    proxy.healAll();

    assertCut(client);
    assertThat(roundTrip(connect("127.0.0.6"), "loud")).isEqualTo("loud");
  }

  @Test
  void closeEndsEveryConnectionAndThreadAndStopsListening() throws Exception {
    Socket forwarded = connect(PEER);
    assertThat(roundTrip(forwarded, "x")).isEqualTo("x");
    proxy.blackhole(OTHER);
    Socket silenced = connect(OTHER);
    String threadPrefix = "ringkv-proxy-" + proxy.address().getPort() + "-";
    await().atMost(BOUND).until(() -> proxyThreads(threadPrefix).size() == 1 + 2 * 2); // accept + 2 each
    assertThat(proxy.openConnections()).isEqualTo(2);

    proxy.close();

    assertThat(proxy.openConnections()).isZero();
    assertThat(proxyThreads(threadPrefix)).isEmpty();
    assertCut(forwarded);
    assertCut(silenced);
    assertThatThrownBy(() -> connect(PEER)).isInstanceOf(ConnectException.class);
    proxy.close();
  }

  @Test
  void aTargetThatRefusesResetsTheClient() throws Exception {
    InetSocketAddress nobody;
    try (ServerSocket unused = new ServerSocket(0, 1, echo.address().getAddress())) {
      nobody = (InetSocketAddress) unused.getLocalSocketAddress();
    }
    try (FaultProxy toNobody = FaultProxy.start(new InetSocketAddress("127.0.0.1", 0), nobody)) {
      assertRefused(PEER, toNobody.address());
      await().atMost(BOUND).until(() -> toNobody.openConnections() == 0);
    }
  }

  @Test
  void rejectsASourceHostThatIsNotAnAddress() {
    assertThatThrownBy(() -> proxy.block(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("127.0.0.2");
  }

  private Socket connect(String source) throws IOException {
    return connect(source, proxy.address());
  }

  private Socket connect(String source, InetSocketAddress to) throws IOException {
    Socket socket = new Socket();
    clients.add(socket);
    socket.bind(new InetSocketAddress(source, 0));
    socket.connect(to, (int) BOUND.toMillis());
    socket.setSoTimeout((int) BOUND.toMillis());
    socket.setTcpNoDelay(true);
    return socket;
  }

  private static String roundTrip(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(bytes(text));
    return read(socket, text.length());
  }

  private static String read(Socket socket, int length) throws IOException {
    return new String(socket.getInputStream().readNBytes(length), StandardCharsets.UTF_8);
  }

  /** A new connection from {@code source} is cut at once: the connect or the first read fails. */
  private void assertRefused(String source) throws IOException {
    assertRefused(source, proxy.address());
  }

  private void assertRefused(String source, InetSocketAddress to) throws IOException {
    Socket socket;
    try {
      socket = connect(source, to);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the connect timed out instead of failing", e);
    } catch (IOException e) {
      return; // the reset arrived before the handshake was seen through
    }
    assertCut(socket);
  }

  /** The proxy cut the connection: reading ends the stream or fails, and does not time out. */
  private static void assertCut(Socket socket) throws IOException {
    int read;
    try {
      read = socket.getInputStream().read();
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the connection is still open: the read timed out", e);
    } catch (IOException e) {
      return; // reset: the usual way the proxy cuts a link
    }
    assertThat(read).as("the connection was cut, so a read ends the stream").isEqualTo(-1);
  }

  /** The connection is open but nothing arrives: a read times out. */
  private static void assertSilent(Socket socket) throws IOException {
    int timeout = socket.getSoTimeout();
    socket.setSoTimeout(SILENCE_MILLIS);
    try {
      int read = socket.getInputStream().read();
      fail("expected silence, but the read returned " + read);
    } catch (SocketTimeoutException expected) {
      // silence, as a blackhole should give
    } finally {
      socket.setSoTimeout(timeout);
    }
  }

  private static List<Thread> proxyThreads(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(prefix) && t.isAlive())
        .toList();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
