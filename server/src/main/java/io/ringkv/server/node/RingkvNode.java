package io.ringkv.server.node;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Stage;
import com.google.inject.name.Names;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ringkv.api.ConfigException;
import io.ringkv.api.KvStore;
import io.ringkv.membership.ClusterStateCodec;
import io.ringkv.membership.Membership;
import io.ringkv.replication.BucketPolicies;
import io.ringkv.replication.ReplicaNode;
import io.ringkv.resolver.LoadedPlugin;
import io.ringkv.server.config.ConfigKeys;
import io.ringkv.server.config.ServerConfig;
import io.ringkv.server.wiring.ConfigModule;
import io.ringkv.server.wiring.NodeModule;
import io.ringkv.server.wiring.ReplicationModule;
import io.ringkv.server.wiring.ResolverModule;
import io.ringkv.server.wiring.StorageModule;
import io.ringkv.server.wiring.Wiring;
import io.ringkv.storage.spi.HintStore;
import io.ringkv.storage.spi.StorageEngine;
import io.ringkv.transport.netty.NettyRuntime;
import io.ringkv.transport.netty.client.ClientProtocolServer;
import io.ringkv.transport.netty.client.ClientSettings;
import io.ringkv.transport.netty.http.HttpApiServer;
import io.ringkv.transport.netty.http.HttpSettings;
import io.ringkv.transport.netty.peer.NettyReplicaNetwork;
import io.ringkv.transport.netty.peer.NettyReplicaServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of a networked cluster, started from a checked {@link ServerConfig}: its storage
 * engine, its {@link ReplicaNode}, the Netty server peers talk to (replica requests and gossip),
 * gossiped membership, the HTTP API and the binary client protocol. {@link #close()} stops
 * everything in reverse order.
 */
public final class RingkvNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RingkvNode.class);

  private final Injector injector;
  private final List<AutoCloseable> started = new ArrayList<>();
  private final ReplicaNode replica;
  private final Membership membership;
  private final NettyReplicaServer server;
  private final HttpApiServer http;
  private final ClientProtocolServer clients;

  private RingkvNode(ServerConfig config, List<LoadedPlugin> plugins) {
    try {
      injector = Guice.createInjector(Stage.PRODUCTION,
          new ConfigModule(config.cluster()),
          new ResolverModule(plugins),
          new StorageModule(),
          new NetworkModule(config),
          new NodeModule(config.node()),
          new ReplicationModule());
    } catch (RuntimeException e) {
      throw Wiring.unwrap(e);
    }
    started.add(injector.getInstance(NettyRuntime.class));
    started.add(() -> injector.getInstance(ScheduledExecutorService.class).shutdownNow());
    try {
      StorageEngine engine = injector.getInstance(StorageEngine.class);
      started.add(engine);
      // Opened with the injector (its singletons are eager): closed even if the start fails.
      started.add(injector.getInstance(HintStore.class));
      checkTheLargestRequestFits(config, engine);
      StorageMetrics.bind(engine, injector.getInstance(Key.get(Path.class, Names.named("dataDir"))),
          injector.getInstance(PrometheusMeterRegistry.class));
      ExecutorService handoff = injector.getInstance(
          Key.get(ExecutorService.class, Names.named("handoff")));
      started.add(handoff::shutdownNow);
      replica = injector.getInstance(ReplicaNode.class);
      started.add(replica);
      replica.start(); // drops hints past their age before anything is served
      started.add(injector.getInstance(NettyReplicaNetwork.class));
      started.add(injector.getInstance(ClusterStateFile.class)); // closed after membership
      membership = injector.getInstance(Membership.class);
      ExecutorService storage = storageExecutor();
      started.add(storage::shutdownNow);
      server = NettyReplicaServer.builder(replica.handler())
          .handlerExecutor(storage)
          .host(config.node().host())
          .port(config.node().port())
          .runtime(injector.getInstance(NettyRuntime.class))
          .gossipHandler(bytes -> CompletableFuture.completedFuture(ClusterStateCodec.encode(
              membership.onGossip(ClusterStateCodec.decode(bytes)))))
          .start();
      started.add(server);
      membership.start();
      started.add(membership);
      HandoffMetrics hintMetrics = HandoffMetrics.bind(replica,
          injector.getInstance(PrometheusMeterRegistry.class), injector.getInstance(Clock.class));
      membership.addListener(state -> state.members().keySet().forEach(hintMetrics::target));
      membership.current().members().keySet().forEach(hintMetrics::target);
      AntiEntropyMetrics.bind(replica, injector.getInstance(PrometheusMeterRegistry.class));
      HandoffProgressMetrics.bind(replica, membership,
          injector.getInstance(PrometheusMeterRegistry.class));
      Membership m = membership;
      var leaveCheck = injector.getInstance(ScheduledExecutorService.class)
          .scheduleWithFixedDelay(() -> LeaveCompletion.check(m, replica), 1, 1,
              java.util.concurrent.TimeUnit.SECONDS);
      started.add(() -> leaveCheck.cancel(false));
      // Both protocols go through one store, which runs off the event loops what may block.
      KvStore store = new OffLoopKvStore(replica.store(), storage, replica::readsWithoutBlocking,
          replica::writesWithoutBlocking);
      PrometheusMeterRegistry registry = injector.getInstance(PrometheusMeterRegistry.class);
      http = HttpApiServer.builder(store, new NodeClusterView(replica, membership,
              injector.getInstance(NettyReplicaNetwork.class),
              injector.getInstance(BucketPolicies.class), injector.getInstance(Clock.class)))
          .settings(HttpSettings.DEFAULTS.withHost(config.node().host())
              .withPort(config.http().port())
              .withMaxKeyBytes(config.http().maxKeyBytes())
              .withMaxValueBytes(config.http().maxValueBytes()))
          .metrics(registry)
          .runtime(injector.getInstance(NettyRuntime.class))
          .start();
      started.add(http);
      FunctionCounter.builder("ringkv.requests.forwarded", replica, ReplicaNode::forwardedRequests)
          .description("Client requests this node forwarded to their key's coordinator (0 when "
              + "clients route to the coordinator themselves)")
          .register(registry);
      clients = ClientProtocolServer.builder(store,
              new NodeClientView(membership, config.cluster()))
          .settings(ClientSettings.DEFAULTS.withHost(config.node().host())
              .withPort(config.clientPort())
              .withMaxKeyBytes(config.http().maxKeyBytes())
              .withMaxValueBytes(config.http().maxValueBytes()))
          .metrics(registry)
          .runtime(injector.getInstance(NettyRuntime.class))
          .start();
      started.add(clients);
    } catch (RuntimeException e) {
      close();
      throw Wiring.unwrap(e);
    }
    log.info("node {} ({}) up: node-to-node {}, HTTP {}, clients {} ({} sockets)", replica.id(),
        replica.actor(), server.address(), http.address(), clients.address(),
        injector.getInstance(NettyRuntime.class).transport());
  }

  /**
   * Room kept per key for what the engine stores besides the key and the value: the version's
   * dot, causal context and flags. Enough for typical clocks; one of thousands of entries with long
   * node ids can need more, and a put that then does not fit is answered 413.
   */
  static final long METADATA_ALLOWANCE = 64 * 1024;

  /**
   * Refuses to start when the largest key and value the HTTP API takes could not be stored: every
   * such put would fail. (A set of siblings can still outgrow the engine's limit together; such a
   * put is answered 413 and the siblings stay as they were.)
   */
  static void checkTheLargestRequestFits(ServerConfig config, StorageEngine engine) {
    long limit = engine.maxBytesPerKey();
    long largest = (long) config.http().maxKeyBytes() + config.http().maxValueBytes() + METADATA_ALLOWANCE;
    if (largest > limit) {
      long fits = Math.max(0, limit - config.http().maxKeyBytes() - METADATA_ALLOWANCE);
      throw new ConfigException(ConfigKeys.HTTP_MAX_VALUE_BYTES, String.valueOf(config.http().maxValueBytes()),
          "a value this large cannot be stored: the " + engine.name() + " storage engine takes at most " + limit
          + " bytes per key, and the key (" + ConfigKeys.HTTP_MAX_KEY_BYTES + "=" + config.http().maxKeyBytes()
          + ") and " + METADATA_ALLOWANCE / 1024 + " KiB of version metadata need room too; set it to at most "
          + fits + (engine.name().equals("log") ? logAdvice(largest) : ""));
    }
  }

  /** The largest {@code storage.option.block.bytes} the log engine takes. */
  private static final long LOG_MAX_BLOCK_BYTES = 1L << 30;

  /** How the log engine could hold {@code bytes} per key: a larger block, if there is one large enough. */
  private static String logAdvice(long bytes) {
    long block = Long.highestOneBit(4 * (bytes + 64) - 1) << 1; // the smallest power of two a quarter of which holds it
    return block <= LOG_MAX_BLOCK_BYTES
        ? ", or raise storage.option.block.bytes (a key may take a quarter of it) to " + block
        : " (no storage.option.block.bytes holds it: at its largest, 1g, a key may take 256 MiB)";
  }

  /** Threads for work that may touch the disk, off the network event loops. */
  private static ExecutorService storageExecutor() {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
        r -> {
          Thread t = new Thread(r, "ringkv-storage-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /** Starts a node; every socket is open and gossip has begun when this returns. */
  public static RingkvNode start(ServerConfig config, List<LoadedPlugin> plugins) {
    return new RingkvNode(config, plugins);
  }

  public ReplicaNode replica() {
    return replica;
  }

  public Membership membership() {
    return membership;
  }

  public InetSocketAddress nodeAddress() {
    return server.address();
  }

  public InetSocketAddress httpAddress() {
    return http.address();
  }

  /** Where the binary client protocol listens. */
  public InetSocketAddress clientAddress() {
    return clients.address();
  }

  /** Stops the client protocol, the HTTP API, gossip, the node server, the network and the engine, in that order. */
  @Override
  public synchronized void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        log.warn("error while stopping {}", started.get(i), e);
      }
    }
    started.clear();
  }
}
