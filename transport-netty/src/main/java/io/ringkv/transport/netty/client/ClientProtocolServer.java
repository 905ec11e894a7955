package io.ringkv.transport.netty.client;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.KvStore;
import io.ringkv.api.RingkvException;
import io.ringkv.protocol.ClientFrames;
import io.ringkv.protocol.NettyTransport;
import io.ringkv.transport.netty.EventLoops;
import io.ringkv.transport.netty.NettyRuntime;
import io.ringkv.transport.netty.internal.KeyRequests;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The binary client protocol of a node (docs/protocol.md) on {@code client.port}: length-prefixed
 * protobuf frames ({@code ringkv_client.proto}), many requests in flight per connection, each
 * answered by id as soon as it is done. Keys and values are served by the node's {@link KvStore}
 * under the same rules as the HTTP API ({@link KeyRequests}); the ring a client routes by comes
 * from a {@link ClientView}. Request counts and latencies go to {@code ringkv.client.requests}.
 */
public final class ClientProtocolServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClientProtocolServer.class);

  private final EventLoopGroup group;
  private final boolean ownsGroup;
  private final Channel serverChannel;
  private final ChannelGroup connections;

  private ClientProtocolServer(Builder b) {
    this.ownsGroup = b.group == null;
    this.group = ownsGroup ? EventLoops.create(EventLoops.DEFAULT_THREADS, "ringkv-client")
        : b.group;
    this.connections = new DefaultChannelGroup("client-connections", group.next());
    ClientSettings settings = b.settings;
    KeyRequests requests = new KeyRequests(b.store, settings.maxKeyBytes(),
        settings.maxValueBytes());
    ClientMetrics metrics = new ClientMetrics(b.registry != null ? b.registry
        : new SimpleMeterRegistry());
    ServerBootstrap bootstrap = new ServerBootstrap().group(group)
        .channel(NettyTransport.serverSocketChannel(group))
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            connections.add(ch);
            install(ch.pipeline(), settings, requests, b.cluster, metrics);
          }
        });
    try {
      this.serverChannel = bootstrap.bind(settings.host(), settings.port()).syncUninterruptibly()
          .channel();
    } catch (RuntimeException e) {
      if (ownsGroup) {
        EventLoops.shutdown(group);
      }
      throw new RingkvException(ErrorCode.UNAVAILABLE, "cannot listen for clients on "
          + settings.host() + ":" + settings.port() + ": " + e.getMessage(), e);
    }
    log.info("client protocol listening on {}", address());
  }

  /** The handlers of one connection. */
  static void install(ChannelPipeline p, ClientSettings settings, KeyRequests requests,
      ClientView cluster, ClientMetrics metrics) {
    ClientFrames.install(p, settings.maxFrameBytes());
    p.addLast("client-protocol", new ClientProtocolHandler(requests, cluster, metrics));
  }

  /** A server over the node's client-facing store and what it tells clients of the cluster. */
  public static Builder builder(KvStore store, ClientView cluster) {
    return new Builder(store, cluster);
  }

  /** The bound address (with the actual port when 0 was asked for). */
  public InetSocketAddress address() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  /** Stops listening and closes every connection; shuts the group down if it made its own. */
  @Override
  public void close() {
    serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    if (ownsGroup) {
      EventLoops.shutdown(group);
    }
    log.info("client protocol stopped on {}", serverChannel.localAddress());
  }

  @Override
  public String toString() {
    return "ClientProtocolServer[" + serverChannel.localAddress() + "]";
  }

  /** Builds and binds a {@link ClientProtocolServer}. */
  public static final class Builder {
    private final KvStore store;
    private final ClientView cluster;
    private ClientSettings settings = ClientSettings.DEFAULTS;
    private MeterRegistry registry;
    private EventLoopGroup group;

    private Builder(KvStore store, ClientView cluster) {
      this.store = Objects.requireNonNull(store, "store");
      this.cluster = Objects.requireNonNull(cluster, "cluster");
    }

    public Builder settings(ClientSettings s) {
      this.settings = Objects.requireNonNull(s, "settings");
      return this;
    }

    /** The registry that records the protocol's timers. Default: a registry of its own. */
    public Builder metrics(MeterRegistry r) {
      this.registry = Objects.requireNonNull(r, "registry");
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

    /** Binds now; fails with {@code UNAVAILABLE} naming the address if it cannot. */
    public ClientProtocolServer start() {
      return new ClientProtocolServer(this);
    }
  }
}
