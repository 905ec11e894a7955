package io.ringkv.testkit.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted connection of a {@link FaultProxy} and the connection it opened to the target,
 * pumped by two threads, one per direction, with blocking I/O.
 *
 * <p>The {@code up} thread connects to the target, starts the {@code down} thread, then copies
 * client to target; the {@code down} thread copies target to client. An end of stream is passed
 * on as a half-close, so a request-then-shutdown client still gets its answer; the connection is
 * over when both directions have ended, or at the first I/O error in either. While
 * {@linkplain #silence() silenced}, both pumps keep reading and drop what they read, an end of
 * stream included. {@link #reset()} is the proxy cutting the link: both sockets are closed with
 * {@code SO_LINGER 0}, so each peer sees a reset rather than an orderly close.
 *
 * <p>Thread-safe: {@link #silence()} and {@link #reset()} may be called from any thread; a byte
 * read after {@code silence()} returned is never forwarded.
 */
final class ProxiedConnection {
  private static final Logger LOG = LoggerFactory.getLogger(ProxiedConnection.class);
  private static final int BUFFER_BYTES = 16 * 1024;

  private final FaultProxy owner;
  private final String name;
  private final Socket client;
  private final InetAddress source;
  private final Socket upstream = new Socket();
  private final AtomicBoolean over = new AtomicBoolean();
  private final AtomicInteger directionsEnded = new AtomicInteger();
  private volatile boolean silenced;

  ProxiedConnection(FaultProxy owner, String name, Socket client, boolean silenced) {
    this.owner = owner;
    this.name = name;
    this.client = client;
    this.source = client.getInetAddress();
    this.silenced = silenced;
  }

  InetAddress source() {
    return source;
  }

  boolean silenced() {
    return silenced;
  }

  /** Starts the {@code up} thread; resets at once if the proxy is closing. */
  void start() {
    if (!owner.spawn(name + "-up", this::connectAndPump)) {
      reset();
    }
  }

  /** From now on every byte read, in both directions, is dropped. */
  void silence() {
    silenced = true;
  }

  /** Cuts the link: closes both sockets abruptly (RST) and leaves the proxy. Idempotent. */
  void reset() {
    end(true);
  }

  private void connectAndPump() {
    try {
      client.setTcpNoDelay(true);
      upstream.setTcpNoDelay(true);
      upstream.connect(owner.target(), FaultProxy.CONNECT_TIMEOUT_MILLIS);
    } catch (IOException e) {
      if (!over.get()) {
        LOG.debug("{} {}: target unreachable, resetting the client: {}", owner, name, e.toString());
      }
      reset();
      return;
    }
    if (!owner.spawn(name + "-down", () -> pump(upstream, client))) {
      reset();
      return;
    }
    pump(client, upstream);
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[BUFFER_BYTES];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        if (silenced) {
          owner.dropped(n);
        } else {
          out.write(buffer, 0, n);
          owner.forwarded(n);
        }
      }
      if (!silenced) {
        to.shutdownOutput();
      }
    } catch (IOException e) {
      reset();
      return;
    }
    if (directionsEnded.incrementAndGet() == 2) {
      end(false);
    }
  }

  private void end(boolean abrupt) {
    if (!over.compareAndSet(false, true)) {
      return;
    }
    close(client, abrupt);
    close(upstream, abrupt);
    owner.ended(this);
    LOG.debug("{} {} from {}: {}", owner, name, source.getHostAddress(), abrupt ? "reset" : "closed by its peers");
  }

  /** Closes {@code socket}, with {@code SO_LINGER 0} (the peer sees a reset) if {@code abrupt}. */
  static void close(Socket socket, boolean abrupt) {
    try {
      if (abrupt && !socket.isClosed()) {
        socket.setSoLinger(true, 0);
      }
    } catch (IOException e) {
      // closed concurrently, or never connected: a plain close is all there is left to do
    }
    try {
      socket.close();
    } catch (IOException e) {
      // nothing to do: the socket is unusable either way
    }
  }

  @Override
  public String toString() {
    return name + " from " + source.getHostAddress();
  }
}
