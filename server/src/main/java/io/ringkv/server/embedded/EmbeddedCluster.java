package io.ringkv.server.embedded;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Stage;
import com.google.inject.TypeLiteral;
import io.ringkv.api.KvStore;
import io.ringkv.api.NodeId;
import io.ringkv.api.spi.ConflictResolverFactory;
import io.ringkv.replication.LocalNetwork;
import io.ringkv.replication.ReplicaNode;
import io.ringkv.resolver.LoadedPlugin;
import io.ringkv.resolver.PluginLoader;
import io.ringkv.ring.Ring;
import io.ringkv.server.config.ClusterConfig;
import io.ringkv.server.config.NodeConfig;
import io.ringkv.server.wiring.ConfigModule;
import io.ringkv.server.wiring.NodeModule;
import io.ringkv.server.wiring.ReplicationModule;
import io.ringkv.server.wiring.ResolverModule;
import io.ringkv.server.wiring.StorageModule;
import io.ringkv.server.wiring.Wiring;
import io.ringkv.storage.spi.HintStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Several nodes in one JVM, wired with Guice, over one {@link LocalNetwork}: what
 * {@code ringkv demo} and tests run. Nodes are numbered from 0 and named {@code n1}, {@code n2},
 * ...; they share one ring of {@code ring.partitions} partitions.
 *
 * <p>{@link #stop(int)} takes a node off the network (as if its process had died: it neither
 * sends nor answers, and the other nodes see it down) and {@link #start(int)} brings it back with
 * what it held. {@link #close()} shuts every thread down.
 */
public final class EmbeddedCluster implements AutoCloseable {
  private static final int NETWORK_THREADS = 2;

  private final ClusterConfig config;
  private final Ring ring;
  private final LocalNetwork network;
  private final ExecutorService networkExecutor;
  private final ScheduledThreadPoolExecutor timer;
  private final List<ReplicaNode> nodes;
  private final List<HintStore> hints = new ArrayList<>();
  private final List<ExecutorService> handoffs = new ArrayList<>();
  private final SortedSet<String> resolvers;
  private boolean closed;

  private EmbeddedCluster(Builder b, List<LoadedPlugin> plugins) {
    this.config = b.config;
    List<NodeId> ids = new ArrayList<>();
    for (int i = 0; i < b.nodes; i++) {
      ids.add(NodeConfig.embedded("n" + (i + 1)).id());
    }
    this.ring = Ring.create(config.ring().partitions(), ids);
    this.networkExecutor = Executors.newFixedThreadPool(NETWORK_THREADS, daemon("ringkv-network"));
    this.timer = new ScheduledThreadPoolExecutor(1, daemon("ringkv-timer"));
    timer.setRemoveOnCancelPolicy(true);
    this.network = new LocalNetwork(networkExecutor);
    List<ReplicaNode> built = new ArrayList<>();
    try {
      Injector shared = Guice.createInjector(Stage.PRODUCTION,
          new ConfigModule(config),
          new ResolverModule(plugins),
          new StorageModule(),
          new EmbeddedModule(ring, network, timer, b.clock));
      this.resolvers = Collections.unmodifiableSortedSet(new TreeSet<>(shared.getInstance(
          Key.get(new TypeLiteral<Map<String, ConflictResolverFactory>>() {})).keySet()));
      for (NodeId id : ids) {
        Injector child = shared.createChildInjector(
            new NodeModule(NodeConfig.embedded(id.value())),
            new ReplicationModule(),
            new LocalEndpointModule());
        ReplicaNode node = child.getInstance(ReplicaNode.class);
        hints.add(child.getInstance(HintStore.class));
        handoffs.add(child.getInstance(com.google.inject.Key.get(ExecutorService.class,
            com.google.inject.name.Names.named("handoff"))));
        network.register(id, node.handler());
        built.add(node);
      }
      built.forEach(ReplicaNode::start);
    } catch (RuntimeException e) {
      built.forEach(ReplicaNode::close);
      handoffs.forEach(ExecutorService::shutdownNow);
      built.forEach(n -> n.engine().close());
      hints.forEach(HintStore::close);
      shutdown();
      throw Wiring.unwrap(e);
    }
    this.nodes = List.copyOf(built);
  }

  public static Builder builder(ClusterConfig config) {
    return new Builder(config);
  }

  /** The number of nodes. */
  public int size() {
    return nodes.size();
  }

  /** The client-facing store of node {@code i}: any node serves any key. */
  public KvStore store(int i) {
    return node(i).store();
  }

  public ReplicaNode node(int i) {
    if (i < 0 || i >= nodes.size()) {
      throw new IndexOutOfBoundsException("node index " + i + " is outside 0.." + (nodes.size() - 1));
    }
    return nodes.get(i);
  }

  public NodeId id(int i) {
    return node(i).id();
  }

  /** The index of the node named {@code id}. */
  public int indexOf(NodeId id) {
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).id().equals(id)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no node " + id + " in this cluster " + ring.nodes());
  }

  public Ring ring() {
    return ring;
  }

  public ClusterConfig config() {
    return config;
  }

  /** The names of every resolver a bucket can select: built-ins and plugins. */
  public SortedSet<String> resolvers() {
    return resolvers;
  }

  /** Takes node {@code i} off the network: it neither sends nor answers; peers see it down. */
  public void stop(int i) {
    network.disconnect(id(i));
  }

  /** Brings node {@code i} back with what it held when it stopped. */
  public void start(int i) {
    network.reconnect(id(i));
  }

  public boolean isUp(int i) {
    return network.isConnected(id(i));
  }

  /** Stops every thread and closes every engine; closing twice is harmless. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    nodes.forEach(ReplicaNode::close);
    handoffs.forEach(ExecutorService::shutdownNow);
    shutdown();
    nodes.forEach(n -> n.engine().close());
    hints.forEach(HintStore::close);
  }

  private void shutdown() {
    networkExecutor.shutdownNow();
    timer.shutdownNow();
    try {
      networkExecutor.awaitTermination(5, TimeUnit.SECONDS);
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Sizes and wires a cluster. */
  public static final class Builder {
    private final ClusterConfig config;
    private int nodes = 3;
    private Clock clock = Clock.systemUTC();
    private List<LoadedPlugin> plugins;

    private Builder(ClusterConfig config) {
      if (config == null) {
        throw new IllegalArgumentException("an embedded cluster needs a configuration, got null");
      }
      this.config = config;
    }

    /** How many nodes (default 3); at least the largest n of any bucket, at most Q. */
    public Builder nodes(int count) {
      this.nodes = count;
      return this;
    }

    /** The wall clock every node reads (default: the system clock). */
    public Builder clock(Clock newClock) {
      if (newClock == null) {
        throw new IllegalArgumentException("clock must not be null");
      }
      this.clock = newClock;
      return this;
    }

    /** Plugins already loaded; by default they are loaded from the configured plugins folder. */
    public Builder plugins(List<LoadedPlugin> loaded) {
      this.plugins = List.copyOf(loaded);
      return this;
    }

    /** Wires and starts every node. Bad configuration fails here with the ringkv error. */
    public EmbeddedCluster start() {
      int largestN = config.resolvers().buckets().values().stream()
          .mapToInt(b -> b.quorum(config.replication().defaults()).n())
          .reduce(config.replication().defaults().n(), Math::max);
      if (nodes < largestN || nodes > config.ring().partitions()) {
        throw new IllegalArgumentException("an embedded cluster of " + nodes + " nodes cannot run"
            + " this configuration: it needs at least n=" + largestN + " nodes (the largest n of"
            + " any bucket) and at most " + config.ring().partitions() + " (ring.partitions)");
      }
      return new EmbeddedCluster(this,
          plugins != null ? plugins : PluginLoader.load(config.plugins().dir()));
    }
  }
}
