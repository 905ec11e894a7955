package io.ringkv.transport.netty.http;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.KvStore;
import io.ringkv.api.RingkvException;
import io.ringkv.protocol.NettyTransport;
import io.ringkv.transport.netty.EventLoops;
import io.ringkv.transport.netty.NettyRuntime;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API of a node (DESIGN.md, "What users touch → HTTP API"): {@code PUT/GET/DELETE
 * /buckets/{b}/keys/{k}}, {@code GET /buckets/{b}/keys/{k}/replicas}, {@code GET /cluster/ring},
 * {@code GET /cluster/members}, {@code GET /health} and {@code GET /metrics}, on Netty's HTTP
 * codec. Keys and values are served by the node's {@link KvStore}, the operator routes by a
 * {@link ClusterView}; request counts and latencies go to the Prometheus registry that
 * {@code /metrics} renders.
 */
public final class HttpApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpApiServer.class);
  private static final int MAX_HEADER_BYTES = 16 * 1024;

  private final EventLoopGroup group;
  private final boolean ownsGroup;
  private final Channel serverChannel;
  private final ChannelGroup connections;

  private HttpApiServer(Builder b) {
    this.ownsGroup = b.group == null;
    this.group = ownsGroup ? EventLoops.create(EventLoops.DEFAULT_THREADS, "ringkv-http") : b.group;
    this.connections = new DefaultChannelGroup("http-connections", group.next());
    HttpSettings settings = b.settings;
    PrometheusMeterRegistry registry = b.registry != null ? b.registry
        : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HttpApi api = new HttpApi(b.store, b.cluster, settings, registry);
    HttpMetrics metrics = new HttpMetrics(registry);
    ServerBootstrap bootstrap = new ServerBootstrap().group(group)
        .channel(NettyTransport.serverSocketChannel(group))
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            connections.add(ch);
            install(ch.pipeline(), api, metrics);
          }
        });
    try {
      this.serverChannel = bootstrap.bind(settings.host(), settings.port()).syncUninterruptibly()
          .channel();
    } catch (RuntimeException e) {
      if (ownsGroup) {
        EventLoops.shutdown(group);
      }
      throw new RingkvException(ErrorCode.UNAVAILABLE, "cannot listen for HTTP on "
          + settings.host() + ":" + settings.port() + ": " + e.getMessage(), e);
    }
    log.info("HTTP API listening on {}", address());
  }

  /** The HTTP handlers of one connection. */
  static void install(ChannelPipeline p, HttpApi api, HttpMetrics metrics) {
    // Room for a key of the maximum size fully %-escaped (3 characters a byte), plus the rest.
    int maxLine = Math.max(4096, api.settings().maxKeyBytes() * 3 + 1024);
    p.addLast("http-codec", new HttpServerCodec(new HttpDecoderConfig()
        .setMaxInitialLineLength(maxLine).setMaxHeaderSize(MAX_HEADER_BYTES)));
    p.addLast("http-aggregator", new OversizeAggregator(api.settings().maxValueBytes(), metrics));
    p.addLast("http-api", new HttpConnectionHandler(api, metrics));
  }

  /** A server over the node's client-facing store and its view of the cluster. */
  public static Builder builder(KvStore store, ClusterView cluster) {
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
    log.info("HTTP API stopped on {}", serverChannel.localAddress());
  }

  @Override
  public String toString() {
    return "HttpApiServer[" + serverChannel.localAddress() + "]";
  }

  /** Builds and binds an {@link HttpApiServer}. */
  public static final class Builder {
    private final KvStore store;
    private final ClusterView cluster;
    private HttpSettings settings = HttpSettings.DEFAULTS;
    private PrometheusMeterRegistry registry;
    private EventLoopGroup group;

    private Builder(KvStore store, ClusterView cluster) {
      this.store = Objects.requireNonNull(store, "store");
      this.cluster = Objects.requireNonNull(cluster, "cluster");
    }

    public Builder settings(HttpSettings s) {
      this.settings = Objects.requireNonNull(s, "settings");
      return this;
    }

    /**
     * The registry that records the API's timers and that {@code /metrics} renders (share it
     * with the node's other meters). Default: a registry of its own.
     */
    public Builder metrics(PrometheusMeterRegistry r) {
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
    public HttpApiServer start() {
      return new HttpApiServer(this);
    }
  }
}
