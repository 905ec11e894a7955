package io.ringkv.transport.netty.peer;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.RingkvException;
import io.ringkv.protocol.NettyTransport;
import io.ringkv.replication.api.ReplicaHandler;
import io.ringkv.transport.netty.EventLoops;
import io.ringkv.transport.netty.NettyRuntime;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node-to-node listener: answers peers' requests with a {@link ReplicaHandler} (never
 * blocking an event loop: the handler returns a future and the answer is written when it
 * completes) and membership's gossip with the function given to {@link #onGossip}. Same framing
 * and frame limit as {@link NettyReplicaNetwork}.
 */
public final class NettyReplicaServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NettyReplicaServer.class);

  private final EventLoopGroup group;
  private final boolean ownsGroup;
  private final Channel serverChannel;
  private final ChannelGroup connections;
  private volatile Function<byte[], CompletableFuture<byte[]>> gossip;

  private NettyReplicaServer(Builder b) {
    this.ownsGroup = b.group == null;
    this.group = ownsGroup ? EventLoops.create(EventLoops.DEFAULT_THREADS, "ringkv-replica-server")
        : b.group;
    this.gossip = b.gossip;
    this.connections = new DefaultChannelGroup("replica-connections", group.next());
    ReplicaHandler handler = b.handler;
    Executor executor = b.executor;
    int maxFrame = b.settings.maxFrameBytes();
    ServerBootstrap bootstrap = new ServerBootstrap().group(group)
        .channel(NettyTransport.serverSocketChannel(group))
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            connections.add(ch);
            FrameCodec.install(ch.pipeline(), maxFrame);
            ch.pipeline().addLast("server", new ServerHandler(handler, executor, () -> gossip));
          }
        });
    try {
      this.serverChannel = bootstrap.bind(b.host, b.port).syncUninterruptibly().channel();
    } catch (RuntimeException e) {
      if (ownsGroup) {
        EventLoops.shutdown(group);
      }
      throw new RingkvException(ErrorCode.UNAVAILABLE, "cannot listen for peers on " + b.host
          + ":" + b.port + ": " + e.getMessage(), e);
    }
    log.info("listening for peers on {}", address());
  }

  /** A server answering with {@code handler} (usually {@code ReplicaNode.handler()}). */
  public static Builder builder(ReplicaHandler handler) {
    return new Builder(handler);
  }

  /** The bound address (with the actual port when 0 was asked for). */
  public InetSocketAddress address() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  /**
   * Registers (or replaces) the handler of membership's opaque gossip messages: it gets the bytes
   * a peer sent with {@link NettyReplicaNetwork#exchange} and completes with the bytes to answer.
   * Until one is registered, gossip is answered with an {@code UNAVAILABLE} failure.
   */
  public void onGossip(Function<byte[], CompletableFuture<byte[]>> handler) {
    this.gossip = Objects.requireNonNull(handler, "handler");
  }

  /** Stops listening and closes every connection; shuts the group down if it made its own. */
  @Override
  public void close() {
    serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    if (ownsGroup) {
      EventLoops.shutdown(group);
    }
    log.info("stopped listening for peers on {}", serverChannel.localAddress());
  }

  @Override
  public String toString() {
    return "NettyReplicaServer[" + serverChannel.localAddress() + "]";
  }

  /** Builds and binds a {@link NettyReplicaServer}. */
  public static final class Builder {
    private final ReplicaHandler handler;
    private String host = "127.0.0.1";
    private int port = 7000;
    private TransportSettings settings = TransportSettings.DEFAULTS;
    private EventLoopGroup group;
    private Executor executor;
    private Function<byte[], CompletableFuture<byte[]>> gossip;

    private Builder(ReplicaHandler handler) {
      this.handler = Objects.requireNonNull(handler, "handler");
    }

    /** Address to listen on; default 127.0.0.1. */
    public Builder host(String h) {
      this.host = Objects.requireNonNull(h, "host");
      return this;
    }

    /** Port to listen on; default 7000, 0 for any free port (see {@link #address()}). */
    public Builder port(int p) {
      if (p < 0 || p > 65535) {
        throw new IllegalArgumentException("port must be in [0, 65535], was " + p);
      }
      this.port = p;
      return this;
    }

    /** Only {@code maxFrameBytes} matters to the server. */
    public Builder settings(TransportSettings s) {
      this.settings = Objects.requireNonNull(s, "settings");
      return this;
    }

    /** The shared event loops; the caller keeps ownership. Default: a small group of its own. */
    public Builder eventLoopGroup(EventLoopGroup g) {
      this.group = Objects.requireNonNull(g, "group");
      return this;
    }

    /** Runs on a node's shared event loops (closed by their owner, not by this). */
    public Builder runtime(NettyRuntime runtime) {
      return eventLoopGroup(runtime.group());
    }

    /**
     * Where the handler is called. Default: on the connection's event loop, fine for handlers
     * that do no I/O of their own before returning their future; give an executor for a storage
     * engine that may block on disk.
     */
    public Builder handlerExecutor(Executor e) {
      this.executor = Objects.requireNonNull(e, "executor");
      return this;
    }

    public Builder gossipHandler(Function<byte[], CompletableFuture<byte[]>> g) {
      this.gossip = Objects.requireNonNull(g, "gossip handler");
      return this;
    }

    /** Binds now; fails with {@code UNAVAILABLE} naming the address if it cannot. */
    public NettyReplicaServer start() {
      return new NettyReplicaServer(this);
    }
  }
}
