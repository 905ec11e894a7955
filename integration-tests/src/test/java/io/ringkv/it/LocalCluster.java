package io.ringkv.it;

import io.ringkv.testkit.net.FaultProxy;
import io.ringkv.testkit.net.Partition;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Real node processes started from the unpacked distribution ({@code bin/ringkv server}) on
 * loopback ports chosen free at start. Nodes are stopped by their own process handles — SIGTERM
 * with {@link #stop}, SIGKILL with {@link #kill} — and {@link #close} stops whatever is left.
 *
 * <p>A {@linkplain #proxied proxied} cluster gives each node its own loopback address (n1 on
 * 127.0.0.1, n2 on 127.0.0.2, ...) and puts a {@link FaultProxy} in front of each node's
 * node-to-node port: the node advertises the proxy's address, so every message between nodes
 * goes through the proxies, and {@link #partition()} can cut and heal chosen links.
 *
 * <p>A cluster may have {@linkplain #withSpares spare} nodes: their ports and configuration are
 * there from the start, but {@link #start()} leaves them down, so that a test can start one
 * later ({@link #start(int)}) to join the running ring, by its {@code cluster.seeds} or by
 * {@code ringkv join} ({@link #writeConfig} without seeds). {@link #start(int)} after a
 * {@link #kill} starts a node again with the very configuration and data folder it had.
 */
final class LocalCluster implements AutoCloseable {
  final Path home;
  final Path root;
  /** The nodes {@link #start()} starts: n1..n{size}. */
  final int size;
  /** The nodes that {@link #start()} leaves down: n{size + 1}..n{size + spares}. */
  final int spares;
  final int[] nodePorts;
  final int[] httpPorts;
  final int[] clientPorts;
  final int[] proxyPorts;
  final Map<String, String> extra;
  private final boolean proxied;
  private final Process[] processes;
  private final FaultProxy[] proxies;

  LocalCluster(String name, int size, Map<String, String> extra) throws IOException, InterruptedException {
    this(name, size, 0, extra, false);
  }

  /** A cluster whose nodes reach each other only through fault proxies, one in front of each. */
  static LocalCluster proxied(String name, int size, Map<String, String> extra)
      throws IOException, InterruptedException {
    return new LocalCluster(name, size, 0, extra, true);
  }

  /**
   * {@code size} nodes that {@link #start()} starts, and {@code spares} more, configured like
   * them (with n1 as their seed), that it leaves down.
   */
  static LocalCluster withSpares(String name, int size, int spares, Map<String, String> extra)
      throws IOException, InterruptedException {
    return new LocalCluster(name, size, spares, extra, false);
  }

  private LocalCluster(String name, int size, int spares, Map<String, String> extra,
      boolean proxied) throws IOException, InterruptedException {
    this.home = Distribution.home();
    this.root = Path.of(System.getProperty("ringkv.it.work", "target/it")).toAbsolutePath()
        .resolve(name + "-" + System.nanoTime());
    this.size = size;
    this.spares = spares;
    this.extra = Map.copyOf(extra);
    int all = size + spares;
    this.nodePorts = new int[all];
    this.httpPorts = new int[all];
    this.clientPorts = new int[all];
    this.proxyPorts = new int[all];
    this.proxied = proxied;
    this.processes = new Process[all];
    this.proxies = new FaultProxy[all];
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < all; i++) {
        nodePorts[i] = freePort(held, host(i));
        httpPorts[i] = freePort(held, host(i));
        clientPorts[i] = freePort(held, host(i));
        proxyPorts[i] = freePort(held, host(i));
      }
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
  }

  /** Every node, spares included. */
  int nodes() {
    return size + spares;
  }

  private static int freePort(List<ServerSocket> held, String host) throws IOException {
    ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName(host));
    held.add(s);
    return s.getLocalPort();
  }

  /** Node i's loopback address: its own in a proxied cluster, else 127.0.0.1. */
  String host(int i) {
    return proxied ? "127.0.0." + (i + 1) : "127.0.0.1";
  }

  /** The address other nodes reach node i at: its proxy in a proxied cluster. */
  int peerPort(int i) {
    return proxied ? proxyPorts[i] : nodePorts[i];
  }

  /** The cuts between nodes n1.. of a proxied cluster. */
  Partition partition() {
    Map<String, FaultProxy> byNode = new java.util.LinkedHashMap<>();
    Map<String, String> hosts = new java.util.LinkedHashMap<>();
    for (int i = 0; i < size; i++) {
      byNode.put("n" + (i + 1), proxies[i]);
      hosts.put("n" + (i + 1), host(i));
    }
    return new Partition(byNode, hosts);
  }

  Path config(int i) {
    return root.resolve("n" + (i + 1)).resolve("ringkv.properties");
  }

  Path log(int i) {
    return root.resolve("n" + (i + 1)).resolve("node.log");
  }

  /** Node i's storage.dir: its data, its epoch file and its cluster.state. */
  Path dataDir(int i) {
    return root.resolve("n" + (i + 1)).resolve("data");
  }

  String http(int i) {
    return "http://" + host(i) + ":" + httpPorts[i];
  }

  /** Writes every node's configuration, spares included; each but n1 has n1 as its seed. */
  void writeConfigs() throws IOException {
    for (int i = 0; i < nodes(); i++) {
      writeConfig(i, i > 0);
    }
  }

  /**
   * (Re)writes node i's configuration; {@code seeded}: with n1 in {@code cluster.seeds} (the node
   * joins n1's ring at its first start), else none (it starts a ring of its own).
   */
  void writeConfig(int i, boolean seeded) throws IOException {
    Files.createDirectories(config(i).getParent());
    StringBuilder sb = new StringBuilder();
    sb.append("node.id = n").append(i + 1).append('\n')
        .append("node.host = ").append(host(i)).append('\n')
        .append("node.port = ").append(nodePorts[i]).append('\n')
        .append("http.port = ").append(httpPorts[i]).append('\n')
        .append("client.port = ").append(clientPorts[i]).append('\n')
        .append("storage.dir = ").append(dataDir(i)).append('\n')
        .append("replication.timeout.ms = 1500\n");
    if (proxied) {
      sb.append("node.advertised.port = ").append(proxyPorts[i]).append('\n');
    }
    if (seeded) {
      sb.append("cluster.seeds = ").append(host(0)).append(':').append(peerPort(0)).append('\n');
    }
    extra.forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
    Files.writeString(config(i), sb.toString());
  }

  /** Starts every node and waits until each serves /health and all agree on the ring. */
  LocalCluster start() throws Exception {
    writeConfigs();
    if (proxied) {
      for (int i = 0; i < size; i++) {
        proxies[i] = FaultProxy.start(new InetSocketAddress(host(i), proxyPorts[i]),
            new InetSocketAddress(host(i), nodePorts[i]));
      }
    }
    for (int i = 0; i < size; i++) {
      start(i);
    }
    awaitReady(Duration.ofSeconds(60));
    return this;
  }

  /**
   * Starts node i with its configuration as written: a spare for the first time, or any node
   * again after {@link #kill} or {@link #stop}, with the data folder it had.
   */
  Process start(int i) throws IOException {
    processes[i] = launch(config(i), log(i));
    return processes[i];
  }

  Process launch(Path conf, Path log) throws IOException {
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(home.resolve("bin").resolve("ringkv").toString(),
        "server", "--config", conf.toString());
    pb.environment().put("RINGKV_HOME", home.toString());
    pb.environment().put("RINGKV_JAVA_OPTS", "-Xmx256m -Xms64m -XX:TieredStopAtLevel=1");
    return pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  /** Waits until every running node answers /cluster/ring and lists every node in it. */
  void awaitReady(Duration timeout) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    for (int i = 0; i < size; i++) {
      if (processes[i] == null || !processes[i].isAlive()) {
        continue;
      }
      int node = i;
      try {
        Awaitility.await("node n" + (i + 1) + " ready").atMost(timeout)
            .pollInterval(Duration.ofMillis(200)).ignoreExceptionsInstanceOf(IOException.class)
            .until(() -> {
              if (!processes[node].isAlive()) {
                throw new IllegalStateException("node n" + (node + 1) + " exited with "
                    + processes[node].exitValue() + ":\n" + tail(node));
              }
              HttpResponse<String> ring = client.send(HttpRequest.newBuilder(
                  URI.create(http(node) + "/cluster/ring")).timeout(Duration.ofSeconds(2)).build(),
                  HttpResponse.BodyHandlers.ofString());
              return ring.statusCode() == 200 && containsAllNodes(ring.body());
            });
      } catch (ConditionTimeoutException e) {
        throw new IllegalStateException("node n" + (i + 1) + " not ready in " + timeout + ":\n"
            + tail(i), e);
      }
    }
  }

  /** Waits until node i answers {@code GET /health} with 200, whatever its ring. */
  void awaitHealthy(int i, Duration timeout) {
    try {
      Awaitility.await("node n" + (i + 1) + " healthy").atMost(timeout)
          .pollInterval(Duration.ofMillis(200)).ignoreExceptionsInstanceOf(IOException.class)
          .until(() -> {
            if (!isAlive(i)) {
              throw new IllegalStateException("node n" + (i + 1) + " is not running:\n"
                  + tail(i));
            }
            return Http.get(http(i) + "/health").statusCode() == 200;
          });
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException("node n" + (i + 1) + " not healthy in " + timeout + ":\n"
          + tail(i), e);
    }
  }

  private boolean containsAllNodes(String ringJson) {
    for (int i = 0; i < size; i++) {
      if (!ringJson.contains("\"n" + (i + 1) + "\"")) {
        return false;
      }
    }
    return true;
  }

  String tail(int i) {
    try {
      List<String> lines = Files.readAllLines(log(i));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** SIGKILL, as kill -9 would. */
  void kill(int i) throws InterruptedException {
    Process p = processes[i];
    if (p != null) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** SIGTERM: a clean shutdown. Returns the exit code. */
  int stop(int i) throws InterruptedException {
    Process p = processes[i];
    p.destroy();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException("node n" + (i + 1) + " did not stop on SIGTERM in 30 s");
    }
    return p.exitValue();
  }

  /**
   * The value of one series on node i's {@code /metrics}, named as Prometheus shows it, tags
   * included ({@code ringkv_storage_keys{engine="log"}}); fails when the node does not show it.
   */
  double metric(int i, String series) throws IOException, InterruptedException {
    HttpResponse<String> scrape = Http.get(http(i) + "/metrics");
    for (String line : scrape.body().split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    throw new AssertionError("no " + series + " on /metrics of n" + (i + 1) + " (status "
        + scrape.statusCode() + ")");
  }

  /** Deletes a folder and everything in it; nothing when it does not exist. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  /** Deletes this cluster's folder (configs, data, logs); call it after {@link #close}. */
  void deleteFiles() throws IOException {
    deleteTree(root);
  }

  boolean isAlive(int i) {
    return processes[i] != null && processes[i].isAlive();
  }

  @Override
  public void close() {
    for (FaultProxy proxy : proxies) {
      if (proxy != null) {
        proxy.close();
      }
    }
    for (Process p : processes) {
      if (p != null && p.isAlive()) {
        p.destroyForcibly();
      }
    }
    for (Process p : processes) {
      if (p != null) {
        try {
          p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** N=3 R=2 W=2 on the durable log engine, plus {@code more} as key, value pairs. */
  static Map<String, String> quorumConfig(String... more) {
    Map<String, String> c = new HashMap<>(Map.of("storage.engine", "log",
        "replication.n", "3", "replication.r", "2", "replication.w", "2"));
    for (int i = 0; i < more.length; i += 2) {
      c.put(more[i], more[i + 1]);
    }
    return c;
  }

  /** What a test does with a started cluster. */
  interface Scenario {
    void run(LocalCluster c) throws Exception;
  }

  /**
   * Starts the cluster, runs the scenario, and always stops every node and deletes the cluster's
   * folder; on a failure the tail of each node's log goes to stderr first.
   */
  static void run(LocalCluster cluster, Scenario scenario) throws Exception {
    try (LocalCluster c = cluster) {
      c.start();
      scenario.run(c);
    } catch (Throwable t) {
      for (int i = 0; i < cluster.nodes(); i++) {
        System.err.println("---- n" + (i + 1) + " log tail ----\n" + cluster.tail(i));
      }
      throw t;
    } finally {
      cluster.deleteFiles();
    }
  }

  /** Node {@code node}'s HTTP URL of key {@code key} in bucket {@code b}. */
  static String keyUrl(LocalCluster c, int node, String key) {
    return c.http(node) + "/buckets/b/keys/" + key;
  }
}
