package io.ringkv.testkit.net;

import io.ringkv.testkit.net.SourceRules.Rule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy in front of one node that cuts or silences the connections of chosen peers, so a
 * test whose nodes run as separate processes can partition the cluster and heal it without root,
 * iptables or network namespaces. Put one proxy in front of each node and give the other nodes
 * the proxy's {@link #address()} as that node's address.
 *
 * <p>Peers are told apart by the source address of their connections: each node runs on its own
 * loopback address (127.0.0.1, 127.0.0.2, ...) and binds its outgoing sockets to it. Linux routes
 * all of 127/8 to the loopback interface; macOS needs {@code ifconfig lo0 alias 127.0.0.2}. A
 * rule names a source host and says what becomes of its connections, open and new:
 * <ul>
 *   <li>forward, the default: bytes pass both ways; an end of stream is passed on as a
 *       half-close, so a connection lasts until both peers have closed it.
 *   <li>{@linkplain #block block}: open connections are reset (both sides, RST); new ones are
 *       accepted and reset at once, so the peer sees its connection die, as with a refusal.
 *       A blocked connection never reaches the target.
 *   <li>{@linkplain #blackhole blackhole}: connections stay open, new ones are accepted and
 *       connected to the target, but every byte in both directions is read and dropped: the
 *       peers see timeouts, not errors.
 * </ul>
 * The last rule set for a source wins; {@link #blockAll}, {@link #blackholeAll} and
 * {@link #healAll} replace every per-source rule and also cover sources not seen yet, and a
 * per-source rule set after them overrides them for that source.
 *
 * <p><b>Healing a blackhole resets the connections it silenced</b> instead of letting them
 * resume: bytes were dropped from the middle of their streams, and a framed protocol fed what
 * follows would read garbage and fail in ways that look like a codec bug. A reset lets both peers
 * reconnect cleanly, as they would after a real partition outlasted TCP's retransmissions.
 *
 * <p>Threading: every method is thread-safe, and a rule holds before its method returns: a
 * connection it cuts is already closed, and a byte read after the call is never forwarded (bytes
 * read just before it may still be). The proxy runs one accepting thread and two threads per
 * connection, blocking I/O, all daemon threads named {@code ringkv-proxy-<port>-...}. It is
 * bounded: at most {@value #MAX_CONNECTIONS} connections are open at once (more are reset when
 * accepted), each with two 16 KiB buffers, and the connect to the target gives up after
 * {@value #CONNECT_TIMEOUT_MILLIS} ms. {@link #close()} ends every connection and every thread.
 */
public final class FaultProxy implements AutoCloseable {
  /** The most connections open at once; past it, new connections are reset when accepted. */
  public static final int MAX_CONNECTIONS = 512;
  /** How long a connection to the target may take before the client is reset. */
  public static final int CONNECT_TIMEOUT_MILLIS = 2_000;

  private static final Logger LOG = LoggerFactory.getLogger(FaultProxy.class);
  private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);
  private static final long ACCEPT_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final ServerSocket server;
  private final InetSocketAddress address;
  private final InetSocketAddress target;
  private final String threadPrefix;
  private final Object lock = new Object();
  private final SourceRules rules = new SourceRules(); // guarded by lock
  private final Set<ProxiedConnection> connections = new HashSet<>(); // guarded by lock
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  private final AtomicLong accepted = new AtomicLong();
  private final LongAdder forwarded = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private long nextConnection; // guarded by lock
  private volatile boolean closed;

  private FaultProxy(ServerSocket server, InetSocketAddress target) {
    this.server = server;
    this.address = (InetSocketAddress) server.getLocalSocketAddress();
    this.target = target;
    this.threadPrefix = "ringkv-proxy-" + address.getPort() + "-";
  }

  /**
   * Listens on {@code listen} (port 0 picks a free port; see {@link #address()}) and forwards
   * every connection it accepts to {@code target}, both ways, until the proxy is closed.
   *
   * @throws UncheckedIOException if {@code listen} cannot be bound
   */
  public static FaultProxy start(InetSocketAddress listen, InetSocketAddress target) {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(target, "target");
    if (listen.isUnresolved() || target.isUnresolved()) {
      throw new IllegalArgumentException("unresolved address: listen " + listen + ", target " + target);
    }
    ServerSocket server = null;
    try {
      server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(listen, 128);
    } catch (IOException e) {
      closeQuietly(server);
      throw new UncheckedIOException("cannot listen on " + listen + ": " + e.getMessage(), e);
    }
    FaultProxy proxy = new FaultProxy(server, target);
    proxy.spawn("accept", proxy::acceptLoop);
    LOG.info("fault proxy {} -> {} started", proxy.address, target);
    return proxy;
  }

  /** The bound listen address, with the port actually chosen; give it to the node's peers. */
  public InetSocketAddress address() {
    return address;
  }

  /** Where every forwarded connection goes. */
  public InetSocketAddress target() {
    return target;
  }

  /** Resets every open connection from {@code sourceHost} (an IP such as "127.0.0.2") and every new one. */
  public void block(String sourceHost) {
    block(SourceRules.host(sourceHost));
  }

  /** Resets every open connection from {@code source} and every new one; see {@link #block(String)}. */
  public void block(InetAddress source) {
    setRule(source, Rule.BLOCK);
  }

  /** Drops every byte, both ways, of open and new connections from {@code sourceHost}, keeping them open. */
  public void blackhole(String sourceHost) {
    blackhole(SourceRules.host(sourceHost));
  }

  /** Drops every byte of the connections from {@code source}; see {@link #blackhole(String)}. */
  public void blackhole(InetAddress source) {
    setRule(source, Rule.BLACKHOLE);
  }

  /**
   * Forwards new connections from {@code sourceHost} again, overriding a {@link #blockAll} or
   * {@link #blackholeAll} for it, and resets its connections that a blackhole silenced.
   */
  public void heal(String sourceHost) {
    heal(SourceRules.host(sourceHost));
  }

  /** Forwards connections from {@code source} again; see {@link #heal(String)}. */
  public void heal(InetAddress source) {
    setRule(source, Rule.FORWARD);
  }

  /** Blocks every source, those not seen yet included; see {@link #block(String)}. */
  public void blockAll() {
    setAll(Rule.BLOCK);
  }

  /** Blackholes every source, those not seen yet included; see {@link #blackhole(String)}. */
  public void blackholeAll() {
    setAll(Rule.BLACKHOLE);
  }

  /** Removes every rule: all sources are forwarded; silenced connections are reset. */
  public void healAll() {
    setAll(Rule.FORWARD);
  }

  /** Connections accepted and not yet over (being connected, forwarded or silenced). */
  public int openConnections() {
    synchronized (lock) {
      return connections.size();
    }
  }

  /** Bytes written on to the other side, both directions and all connections together. */
  public long bytesForwarded() {
    return forwarded.sum();
  }

  /** Bytes read from a blackholed connection and dropped, both directions together. */
  public long bytesDropped() {
    return dropped.sum();
  }

  /** Every connection accepted since start, blocked and over-the-limit ones included. */
  public long connectionsAccepted() {
    return accepted.get();
  }

  /**
   * Stops listening (the port then refuses connections), resets every connection and waits up
   * to 5 s for every thread of the proxy to end. Closing again does nothing.
   */
  @Override
  public void close() {
    List<ProxiedConnection> open;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      open = new ArrayList<>(connections);
    }
    closeQuietly(server);
    open.forEach(ProxiedConnection::reset);
    long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
    for (Thread thread : List.copyOf(threads)) {
      try {
        TimeUnit.NANOSECONDS.timedJoin(thread, Math.max(1, deadline - System.nanoTime()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (thread.isAlive()) {
        LOG.warn("fault proxy {}: thread {} still running after close", address, thread.getName());
      }
    }
    LOG.info("fault proxy {} -> {} closed: {} connections accepted, {} bytes forwarded, {} dropped",
        address, target, accepted.get(), forwarded.sum(), dropped.sum());
  }

  @Override
  public String toString() {
    return "FaultProxy[" + address + " -> " + target + "]";
  }

  /** Starts a daemon thread named after this proxy, unless it is closed; false if it is. */
  boolean spawn(String suffix, Runnable body) {
    synchronized (lock) {
      if (closed) {
        return false;
      }
      Thread thread = new Thread(() -> {
        try {
          body.run();
        } finally {
          threads.remove(Thread.currentThread());
        }
      }, threadPrefix + suffix);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
      return true;
    }
  }

  void forwarded(int bytes) {
    forwarded.add(bytes);
  }

  void dropped(int bytes) {
    dropped.add(bytes);
  }

  void ended(ProxiedConnection connection) {
    synchronized (lock) {
      connections.remove(connection);
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("fault proxy {}: accept failed, retrying: {}", address, e.toString());
          LockSupport.parkNanos(ACCEPT_BACKOFF_NANOS); // e.g. out of file descriptors: do not spin
        }
        continue;
      }
      accepted.incrementAndGet();
      admit(client);
    }
  }

  private void admit(Socket client) {
    synchronized (lock) {
      Rule rule = rules.of(client.getInetAddress());
      if (closed || rule == Rule.BLOCK || connections.size() >= MAX_CONNECTIONS) {
        if (!closed && rule != Rule.BLOCK) {
          LOG.warn("fault proxy {}: {} connections open, resetting one from {}", address, MAX_CONNECTIONS,
              client.getInetAddress().getHostAddress());
        }
        ProxiedConnection.close(client, true);
        return;
      }
      ProxiedConnection connection =
          new ProxiedConnection(this, "c" + nextConnection++, client, rule == Rule.BLACKHOLE);
      connections.add(connection);
      connection.start();
    }
  }

  private void setRule(InetAddress source, Rule rule) {
    Objects.requireNonNull(source, "source");
    synchronized (lock) {
      rules.set(source, rule);
      enforce();
    }
    LOG.info("fault proxy {}: {} {}", address, rule.name().toLowerCase(Locale.ROOT), source.getHostAddress());
  }

  private void setAll(Rule rule) {
    synchronized (lock) {
      rules.setAll(rule);
      enforce();
    }
    LOG.info("fault proxy {}: {} every source", address, rule.name().toLowerCase(Locale.ROOT));
  }

  /** Brings the open connections in line with the rules; called with the lock held. */
  private void enforce() {
    for (ProxiedConnection connection : List.copyOf(connections)) {
      switch (rules.of(connection.source())) {
        case BLOCK -> connection.reset();
        case BLACKHOLE -> connection.silence();
        case FORWARD -> {
          if (connection.silenced()) {
            connection.reset();
          }
        }
      }
    }
  }

  private static void closeQuietly(ServerSocket server) {
    if (server == null) {
      return;
    }
    try {
      server.close();
    } catch (IOException e) {
      // closing is all we wanted; the socket is unusable either way
    }
  }
}
