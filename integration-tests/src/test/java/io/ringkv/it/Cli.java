package io.ringkv.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code bin/ringkv} with arguments and collects its exit code and output. */
final class Cli {
  final int exit;
  final String output;

  private Cli(int exit, String output) {
    this.exit = exit;
    this.output = output;
  }

  static Cli run(Path home, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(home.resolve("bin").resolve("ringkv").toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("RINGKV_JAVA_OPTS", "-Xms32m -Xmx128m -XX:TieredStopAtLevel=1");
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("ringkv " + String.join(" ", args) + " did not finish");
    }
    return new Cli(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
