package io.ringkv.transport.netty.peer;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import io.ringkv.protocol.NettyTransport;
import io.ringkv.replication.api.ReplicaNetwork;
import io.ringkv.replication.api.ReplicaRequest;
import io.ringkv.replication.api.ReplicaResponse;
import io.ringkv.transport.netty.EventLoops;
import io.ringkv.transport.netty.NettyRuntime;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The coordinator's {@link ReplicaNetwork} over TCP: requests and answers matched by correlation
 * id, a pool of connections per peer address (round-robin), a timeout per request, reconnection
 * with capped exponential backoff, a bound on the requests in flight to each peer, and
 * length-prefixed protobuf frames of bounded size. Every failure completes the returned future
 * exceptionally with a {@link RingkvException} of code {@code UNAVAILABLE} (or {@code TOO_LARGE}
 * for a message over the frame limit); a peer's own failure arrives as a
 * {@link ReplicaResponse.Failed}.
 *
 * <p>No thread per request and no blocking: answers complete their futures on the connection's
 * event loop, so continuations must not block either.
 *
 * <p>Also carries membership's gossip: {@link #exchange} sends opaque bytes to an address and
 * completes with the bytes the peer's {@link NettyReplicaServer#onGossip} handler answers.
 */
public final class NettyReplicaNetwork implements ReplicaNetwork, AutoCloseable {
  private final NodeId self;
  private final Function<NodeId, InetSocketAddress> addresses;
  private final TransportSettings settings;
  private final EventLoopGroup group;
  private final boolean ownsGroup;
  private final Bootstrap template;
  private final Map<InetSocketAddress, PeerPool> pools = new ConcurrentHashMap<>();
  private final java.util.function.Consumer<InetSocketAddress> refused;
  private final AtomicLong ids = new AtomicLong();
  private volatile boolean closed;

  private NettyReplicaNetwork(Builder b) {
    this.self = b.self;
    this.addresses = b.addresses;
    this.settings = b.settings;
    this.refused = b.refused;
    this.ownsGroup = b.group == null;
    this.group = ownsGroup ? EventLoops.create(EventLoops.DEFAULT_THREADS, "ringkv-peer-" + self)
        : b.group;
    Bootstrap bootstrap = new Bootstrap();
    if (b.localHost != null) {
      bootstrap.localAddress(new InetSocketAddress(b.localHost, 0));
    }
    this.template = bootstrap.group(group).channel(NettyTransport.socketChannel(group))
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis());
  }

  /**
   * A network for node {@code self} that finds its peers through {@code addresses} (asked on
   * every send, so an address learnt later by gossip takes effect at once; {@code null} means
   * the address is unknown and the send fails).
   */
  public static Builder builder(NodeId self, Function<NodeId, InetSocketAddress> addresses) {
    return new Builder(self, addresses);
  }

  @Override
  public CompletableFuture<ReplicaResponse> send(NodeId to, ReplicaRequest request) {
    return send(to, request, timeoutFor(request));
  }

  /** {@link #send(NodeId, ReplicaRequest)} with this request's own timeout. */
  public CompletableFuture<ReplicaResponse> send(NodeId to, ReplicaRequest request,
      Duration timeout) {
    Objects.requireNonNull(request, "request");
    InetSocketAddress address;
    try {
      address = addresses.apply(to);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(new RingkvException(ErrorCode.UNAVAILABLE,
          "cannot find the address of node " + to + ": " + e.getMessage(), e));
    }
    if (address == null) {
      return CompletableFuture.failedFuture(new RingkvException(ErrorCode.UNAVAILABLE,
          "no address is known for node " + to));
    }
    PeerPool pool = pool(address);
    Call.Replica call = new Call.Replica(ids.incrementAndGet(),
        "node " + to + " (" + pool.label() + ")", WireMapping.ceilMillis(timeout), self, request);
    pool.dispatch(call);
    return call.future;
  }

  /**
   * Sends an opaque membership message to {@code host:port} and completes with the answer of
   * that node's gossip handler; fails ({@code UNAVAILABLE}) like {@link #send} when the node
   * cannot be reached or does not answer in the request timeout.
   */
  public CompletableFuture<byte[]> exchange(String host, int port, byte[] message) {
    return exchange(new InetSocketAddress(host, port), message);
  }

  /** {@link #exchange(String, int, byte[])} to a socket address. */
  public CompletableFuture<byte[]> exchange(InetSocketAddress address, byte[] message) {
    Objects.requireNonNull(message, "message");
    PeerPool pool = pool(address);
    Call.Gossip call = new Call.Gossip(ids.incrementAndGet(), pool.label(),
        settings.requestTimeout().toMillis(), message.clone());
    pool.dispatch(call);
    return call.future;
  }

  /**
   * The node at {@code address} is back (its failure detector says so): a connection attempt in
   * backoff after earlier failures is made at the next send instead of failing fast.
   */
  public void peerIsBack(InetSocketAddress address) {
    PeerPool p = pools.get(address);
    if (p != null) {
      p.resetBackoff();
    }
  }

  /** Requests in flight to the node at {@code address} (0 if never contacted). */
  int inFlight(InetSocketAddress address) {
    PeerPool p = pools.get(address);
    return p == null ? 0 : p.inFlight();
  }

  private PeerPool pool(InetSocketAddress address) {
    InetSocketAddress resolved = address.isUnresolved()
        ? new InetSocketAddress(address.getHostString(), address.getPort()) : address;
    PeerPool pool = pools.computeIfAbsent(resolved,
        a -> new PeerPool(a, template, settings, refused));
    if (closed) {
      pool.close(); // a pool made while closing is closed at once; its sends fail
    }
    return pool;
  }

  /** A forwarded client request waits as long as the client asked, plus the normal timeout. */
  private Duration timeoutFor(ReplicaRequest request) {
    Duration own = null;
    if (request instanceof ReplicaRequest.CoordinateGet g) {
      own = g.options().timeout();
    } else if (request instanceof ReplicaRequest.CoordinatePut p) {
      own = p.options().timeout();
    }
    return own == null ? settings.requestTimeout() : own.plus(settings.requestTimeout());
  }

  public TransportSettings settings() {
    return settings;
  }

  /** Closes every connection (failing what waits on them) and the group if it made its own. */
  @Override
  public void close() {
    closed = true;
    pools.values().forEach(PeerPool::close);
    if (ownsGroup) {
      EventLoops.shutdown(group);
    }
  }

  @Override
  public String toString() {
    return "NettyReplicaNetwork[" + self + ", peers " + pools.keySet() + "]";
  }

  /** Builds a {@link NettyReplicaNetwork}; only the node id and the address lookup are required. */
  public static final class Builder {
    private final NodeId self;
    private final Function<NodeId, InetSocketAddress> addresses;
    private TransportSettings settings = TransportSettings.DEFAULTS;
    private EventLoopGroup group;
    private java.util.function.Consumer<InetSocketAddress> refused = a -> { };
    private String localHost;

    private Builder(NodeId self, Function<NodeId, InetSocketAddress> addresses) {
      this.self = Objects.requireNonNull(self, "self");
      this.addresses = Objects.requireNonNull(addresses, "addresses");
    }

    public Builder settings(TransportSettings s) {
      this.settings = Objects.requireNonNull(s, "settings");
      return this;
    }

    /**
     * The local address every outgoing connection is bound to (any free port), so a peer sees
     * which of several nodes on one machine connects; null (the default) lets the system choose.
     */
    public Builder localHost(String host) {
      this.localHost = host;
      return this;
    }

    /**
     * Told, on an event loop, each time connecting to an address is refused (nobody listens
     * there: the node is down), so the failure detector can mark it down at once. Keep it short.
     */
    public Builder onRefused(java.util.function.Consumer<InetSocketAddress> listener) {
      this.refused = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * The shared event loops (see {@link EventLoops}); the caller keeps ownership. Without one,
     * the network makes its own small group and shuts it down on {@link #close()}.
     */
    public Builder eventLoopGroup(EventLoopGroup g) {
      this.group = Objects.requireNonNull(g, "group");
      return this;
    }

    /** Runs on a node's shared event loops (closed by their owner, not by this). */
    public Builder runtime(NettyRuntime runtime) {
      return eventLoopGroup(runtime.group());
    }

    public NettyReplicaNetwork build() {
      return new NettyReplicaNetwork(this);
    }
  }
}
