package io.ringkv.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.Bytes;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.RingkvException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the client says when a node cannot be reached, drops a request or never answers. */
@Timeout(60)
class FailureTest {
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private RingkvClient client(int retries, String... seeds) {
    RingkvClient c = RingkvClient.builder().seeds(seeds).routing(Routing.ANY_NODE)
        .retries(retries).connectTimeout(Duration.ofSeconds(1))
        .requestTimeout(Duration.ofMillis(500)).build();
    toClose.add(c);
    return c;
  }

  /** A port nothing listens on. */
  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * A "node" that reads whatever comes and then either closes the connection (after
   * {@code closeAfterBytes} bytes) or never answers; counts its connections.
   */
  private ServerSocket misbehaving(int closeAfterBytes, AtomicInteger connections)
      throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    toClose.add(server);
    Thread t = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          toClose.add(s);
          connections.incrementAndGet();
          InputStream in = s.getInputStream();
          int read = 0;
          while (in.read() >= 0 && ++read < closeAfterBytes) {
            // keep reading
          }
          if (closeAfterBytes < Integer.MAX_VALUE) {
            s.close();
          }
        } catch (IOException closed) {
          return;
        }
      }
    }, "misbehaving-node");
    t.setDaemon(true);
    t.start();
    return server;
  }

  @Test
  void noNodeReachableIsUnavailableNamingTheNode() throws Exception {
    int port = closedPort();
    assertThatThrownBy(() -> client(0, "127.0.0.1:" + port).get("b", "k"))
        .isInstanceOf(UnreachableException.class)
        .hasMessageContaining("cannot reach node").hasMessageContaining(":" + port)
        .hasMessageContaining("connection refused")
        .satisfies(e -> assertThat(((RingkvException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE));
  }

  @Test
  void aNodeThatNeverAnswersTimesOut() throws Exception {
    ServerSocket silent = misbehaving(Integer.MAX_VALUE, new AtomicInteger());
    assertThatThrownBy(() -> client(0, "127.0.0.1:" + silent.getLocalPort()).get("b", "k"))
        .isInstanceOf(RingkvException.class).hasMessageContaining("did not answer within 500 ms")
        .satisfies(e -> assertThat(((RingkvException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE));
  }

  @Test
  void aWriteThatMayHaveArrivedIsNotSentAgainButAReadIs() throws Exception {
    AtomicInteger connections = new AtomicInteger();
    ServerSocket dropping = misbehaving(8, connections);
    try (Cluster cluster = new Cluster()) {
      RingkvClient c = client(1, "127.0.0.1:" + dropping.getLocalPort(), cluster.seed(0));
      assertThatThrownBy(() -> c.put("b", "k", Bytes.utf8("x")))
          .isInstanceOf(RingkvException.class)
          .hasMessageContaining("may or may not have been stored");
      assertThat(c.get("b", "k").isFound()).as("the put went nowhere else").isFalse();
    }
  }

  @Test
  void aWriteThatCertainlyDidNotArriveGoesToTheNextNode() throws Exception {
    try (Cluster cluster = new Cluster()) {
      RingkvClient c = client(1, "127.0.0.1:" + closedPort(), cluster.seed(0));
      c.put("b", "k", Bytes.utf8("x"));
      c.put("b", "k2", Bytes.utf8("y"));
      assertThat(c.get("b", "k").value()).isEqualTo(Bytes.utf8("x"));
    }
  }

  @Test
  void anHttpPortIsNamedForWhatItIs() throws Exception {
    // What the node's HTTP API answers a request it cannot parse.
    ServerSocket http = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    toClose.add(http);
    Thread t = new Thread(() -> {
      try (Socket s = http.accept()) {
        s.getInputStream().read(new byte[64]);
        s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n"
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        s.getInputStream().read();
      } catch (IOException closed) {
        // the client hung up
      }
    }, "http-port");
    t.setDaemon(true);
    t.start();
    assertThatThrownBy(() -> client(0, "127.0.0.1:" + http.getLocalPort()).get("b", "k"))
        .isInstanceOf(RingkvException.class)
        .hasMessageContaining("answered in HTTP").hasMessageContaining("client.port");
  }

  @Test
  void aBadSeedIsRefusedWhenTheClientIsBuilt() {
    assertThatThrownBy(() -> RingkvClient.builder().seeds("host:notaport"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 65535");
    assertThatThrownBy(() -> RingkvClient.builder().seeds("::1:8087"))
        .hasMessageContaining("[::1]:8087");
    assertThatThrownBy(() -> RingkvClient.builder().build())
        .hasMessageContaining("at least one seed");
    assertThat(HostPort.parse("[::1]:9", 1).getPort()).isEqualTo(9);
    assertThat(HostPort.parse("localhost", 8087).getPort()).isEqualTo(8087);
  }
}
