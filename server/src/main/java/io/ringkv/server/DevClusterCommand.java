package io.ringkv.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ringkv dev-cluster --nodes 3}: starts that many real node processes on loopback, each
 * with its own generated configuration, data folder and log, prints their ports, and stops them
 * (by pid) on Ctrl-C or SIGTERM.
 */
@Command(name = "dev-cluster", mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Starts a local cluster of real node processes on 127.0.0.1 for development.")
final class DevClusterCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--nodes", defaultValue = "3", description = "how many nodes (default ${DEFAULT-VALUE})")
  int nodes;

  @Option(names = "--dir", defaultValue = "dev-cluster",
      description = "folder for the nodes' configuration, data and logs (default ${DEFAULT-VALUE})")
  Path dir;

  @Option(names = "--node-port", defaultValue = "7000",
      description = "node-to-node port of the first node; node i gets this + i - 1 (default ${DEFAULT-VALUE})")
  int nodePort;

  @Option(names = "--http-port", defaultValue = "8098",
      description = "HTTP port of the first node; node i gets this + i - 1 (default ${DEFAULT-VALUE})")
  int httpPort;

  @Option(names = "--engine", defaultValue = "log",
      description = "storage engine: log or memory (default ${DEFAULT-VALUE})")
  String engine;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "extra configuration for every node, e.g. --set bucket.carts.resolver=set-union")
  List<String> extra = new ArrayList<>();

  @Option(names = "--startup-timeout", defaultValue = "60s",
      description = "how long to wait until every node's ring holds every node (default ${DEFAULT-VALUE})",
      converter = io.ringkv.cli.Durations.Converter.class)
  Duration startupTimeout;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (nodes < 1 || nodes > 32) {
      err.println("ringkv dev-cluster: --nodes must be from 1 to 32");
      return 2;
    }
    List<Process> processes = new ArrayList<>();
    CountDownLatch stop = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stopAll(processes);
      stop.countDown();
    }, "ringkv-dev-cluster-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    Path root = dir.toAbsolutePath();
    out.printf("ringkv dev-cluster: %d nodes in %s%n", nodes, root);
    out.printf("%-6s %-16s %-16s %-16s %-8s %s%n", "node", "node-to-node", "HTTP", "clients", "pid",
        "log");
    for (int i = 1; i <= nodes; i++) {
      Path nodeDir = root.resolve("n" + i);
      Files.createDirectories(nodeDir);
      Path conf = nodeDir.resolve("ringkv.properties");
      Files.writeString(conf, config(i, nodeDir));
      Path log = nodeDir.resolve("node.log");
      Process p = launch(conf, log);
      processes.add(p);
      out.printf("%-6s %-16s %-16s %-16s %-8d %s%n", "n" + i, "127.0.0.1:" + (nodePort + i - 1),
          "127.0.0.1:" + (httpPort + i - 1), "127.0.0.1:" + clientPort(i), p.pid(), log);
      out.flush();
    }
    if (!awaitHealthy(processes, err)) {
      stopAll(processes);
      return 1;
    }
    out.printf("all %d nodes answer; try: curl -i -X PUT -d hello http://127.0.0.1:%d/buckets/b/keys/k%n",
        nodes, httpPort);
    out.println("Ctrl-C stops the cluster.");
    out.flush();
    stop.await();
    return 0;
  }

  /** Node i's binary client port: its HTTP port + 100 (8198, 8199, ... by default). */
  private int clientPort(int i) {
    return httpPort + 100 + i - 1;
  }

  private String config(int i, Path nodeDir) {
    StringBuilder sb = new StringBuilder();
    sb.append("node.id = n").append(i).append('\n');
    sb.append("node.host = 127.0.0.1\n");
    sb.append("node.port = ").append(nodePort + i - 1).append('\n');
    sb.append("http.port = ").append(httpPort + i - 1).append('\n');
    sb.append("client.port = ").append(clientPort(i)).append('\n');
    if (i > 1) {
      sb.append("cluster.seeds = 127.0.0.1:").append(nodePort).append('\n');
    }
    sb.append("storage.engine = ").append(engine).append('\n');
    sb.append("storage.dir = ").append(nodeDir.resolve("data")).append('\n');
    String home = System.getenv("RINGKV_HOME");
    if (home != null) {
      sb.append("plugins.dir = ").append(Path.of(home).resolve("plugins")).append('\n');
    }
    for (String kv : extra) {
      sb.append(kv).append('\n');
    }
    return sb.toString();
  }

  /** The same java, class path and JVM flags as this process, running {@code ringkv server}. */
  private static Process launch(Path conf, Path log) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!arg.startsWith("-agentlib") && !arg.startsWith("-javaagent")) {
        cmd.add(arg);
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.add("server");
    cmd.add("--config");
    cmd.add(conf.toString());
    return new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
  }

  private boolean awaitHealthy(List<Process> processes, PrintWriter err) throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + startupTimeout.toNanos();
    for (int i = 0; i < processes.size(); i++) {
      URI health = URI.create("http://127.0.0.1:" + (httpPort + i) + "/cluster/ring");
      while (true) {
        if (!processes.get(i).isAlive()) {
          err.printf("ringkv dev-cluster: node n%d exited with code %d; see %s%n", i + 1,
              processes.get(i).exitValue(), dir.toAbsolutePath().resolve("n" + (i + 1)).resolve("node.log"));
          return false;
        }
        try {
          HttpResponse<String> r = client.send(HttpRequest.newBuilder(health)
              .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200 && ringHoldsEveryNode(r.body())) {
            break;
          }
        } catch (IOException e) {
          // not listening yet
        }
        if (System.nanoTime() > deadline) {
          err.printf("ringkv dev-cluster: node n%d did not have every node in its ring (%s) within"
              + " %s%n", i + 1, health, startupTimeout);
          return false;
        }
        TimeUnit.MILLISECONDS.sleep(200);
      }
    }
    return true;
  }

  /** Ready means this node's ring already holds every node of the cluster (joins are done). */
  private boolean ringHoldsEveryNode(String ringJson) {
    for (int n = 1; n <= nodes; n++) {
      if (!ringJson.contains("\"n" + n + "\"")) {
        return false;
      }
    }
    return true;
  }

  private static void stopAll(List<Process> processes) {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
