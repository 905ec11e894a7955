package io.ringkv.testkit.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback echo server standing in for a node behind a {@link FaultProxy}: it writes back
 * whatever it reads, closes a connection when its peer does, counts what reached it, and hands
 * out its side of each connection so a test can also push bytes from the server. Daemon threads;
 * {@link #close()} closes everything.
 */
final class EchoServer implements AutoCloseable {
  private final ServerSocket server;
  private final BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
  private final List<Socket> sockets = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private boolean closed; // guarded by this

  private EchoServer(ServerSocket server) {
    this.server = server;
  }

  static EchoServer start() throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress("127.0.0.1", 0));
    EchoServer echo = new EchoServer(server);
    echo.spawn(echo::acceptLoop);
    return echo;
  }

  InetSocketAddress address() {
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  /** Connections that reached the server. */
  long connections() {
    return connections.get();
  }

  /** Bytes that reached the server. */
  long received() {
    return received.get();
  }

  /** The server's side of the next connection that reached it. */
  Socket nextAccepted(Duration bound) throws InterruptedException, SocketTimeoutException {
    Socket socket = accepted.poll(bound.toMillis(), TimeUnit.MILLISECONDS);
    if (socket == null) {
      throw new SocketTimeoutException("no connection reached the echo server within " + bound);
    }
    return socket;
  }

  @Override
  public void close() throws IOException {
    List<Socket> open;
    List<Thread> running;
    synchronized (this) {
      closed = true;
      open = List.copyOf(sockets);
      running = List.copyOf(threads);
    }
    server.close();
    for (Socket socket : open) {
      socket.close();
    }
    try {
      for (Thread thread : running) {
        thread.join(2_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop() {
    try {
      while (true) {
        Socket socket = server.accept();
        connections.incrementAndGet();
        synchronized (this) {
          if (closed) {
            socket.close();
            return;
          }
          sockets.add(socket);
          spawn(() -> echo(socket));
        }
        accepted.add(socket);
      }
    } catch (IOException e) {
      // closed: the loop is over
    }
  }

  private void echo(Socket socket) {
    byte[] buffer = new byte[4096];
    try (socket) {
      InputStream in = socket.getInputStream();
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        received.addAndGet(n);
        socket.getOutputStream().write(buffer, 0, n);
      }
    } catch (IOException e) {
      // reset by the proxy or closed by the test: the connection is over
    }
  }

  private synchronized void spawn(Runnable body) {
    Thread thread = new Thread(body, "echo-server-" + threads.size());
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }
}
