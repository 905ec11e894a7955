package io.ringkv.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The assembled tar.gz, unpacked once per test run into the module's target folder. */
final class Distribution {
  private static Path home;

  private Distribution() {}

  static synchronized Path home() throws IOException, InterruptedException {
    if (home != null) {
      return home;
    }
    Path tar = Path.of(System.getProperty("ringkv.distribution"));
    if (!Files.isRegularFile(tar)) {
      throw new IllegalStateException("no distribution at " + tar + ": run mvn verify from the root");
    }
    Path work = Path.of(System.getProperty("ringkv.it.work", "target/it"));
    Path unpacked = work.resolve("dist");
    if (Files.exists(unpacked)) {
      try (var walk = Files.walk(unpacked)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(unpacked);
    Process tarProcess = new ProcessBuilder("tar", "-xzf", tar.toString(), "-C", unpacked.toString())
        .inheritIO().start();
    if (!tarProcess.waitFor(60, TimeUnit.SECONDS) || tarProcess.exitValue() != 0) {
      tarProcess.destroyForcibly();
      throw new IllegalStateException("could not unpack " + tar);
    }
    try (var dirs = Files.list(unpacked)) {
      home = dirs.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    return home;
  }
}
