package io.ringkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code ringkv dev-cluster --nodes 3} as a new user runs it: three processes, then Ctrl-C. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DevClusterIT {

  /** A base port with {@code count} free ports after it (checked, then released). */
  private static int freeRun(int count) throws Exception {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = 20_000 + (int) (Math.random() * 30_000);
      List<ServerSocket> held = new ArrayList<>();
      try {
        for (int i = 0; i < count; i++) {
          held.add(new ServerSocket(base + i, 1, java.net.InetAddress.getLoopbackAddress()));
        }
        return base;
      } catch (java.io.IOException taken) {
        // try another base
      } finally {
        for (ServerSocket s : held) {
          s.close();
        }
      }
    }
    throw new IllegalStateException("no run of free ports found");
  }

  @Test
  void startsThreeNodesPrintsTheirPortsAndStopsThemOnSigterm() throws Exception {
    Path home = Distribution.home();
    int nodePort = freeRun(3);
    int httpPort = freeRun(3);
    Path dir = Path.of(System.getProperty("ringkv.it.work", "target/it")).toAbsolutePath()
        .resolve("dev-cluster-" + System.nanoTime());
    ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/ringkv").toString(), "dev-cluster",
        "--nodes", "3", "--dir", dir.toString(), "--node-port", String.valueOf(nodePort),
        "--http-port", String.valueOf(httpPort), "--engine", "memory").redirectErrorStream(true);
    pb.environment().put("RINGKV_JAVA_OPTS", "-Xms32m -Xmx256m -XX:TieredStopAtLevel=1");
    Process p = pb.start();
    List<ProcessHandle> children = new ArrayList<>();
    try {
      StringBuilder out = new StringBuilder();
      BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8));
      CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
        try {
          for (String line; (line = reader.readLine()) != null; ) {
            out.append(line).append('\n');
            if (line.startsWith("all 3 nodes answer")) {
              return true;
            }
          }
          return false;
        } catch (java.io.IOException e) {
          return false;
        }
      });
      assertThat(ready.get(120, TimeUnit.SECONDS)).as(out.toString()).isTrue();
      assertThat(out).contains("127.0.0.1:" + nodePort).contains("127.0.0.1:" + (httpPort + 2));
      p.descendants().forEach(children::add);
      assertThat(children).hasSizeGreaterThanOrEqualTo(3);
      String url = "http://127.0.0.1:" + httpPort + "/buckets/b/keys/k";
      assertThat(Http.put(url, "hello", null).statusCode()).isEqualTo(204);
      assertThat(Http.get("http://127.0.0.1:" + (httpPort + 2) + "/buckets/b/keys/k").body())
          .isEqualTo("hello");
      p.destroy(); // SIGTERM, as Ctrl-C would
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      for (ProcessHandle child : children) {
        child.onExit().get(30, TimeUnit.SECONDS);
        assertThat(child.isAlive()).isFalse();
      }
    } finally {
      p.destroyForcibly();
      children.forEach(ProcessHandle::destroyForcibly);
    }
  }
}
