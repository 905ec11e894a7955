package io.ringkv.benchmarks;

import io.ringkv.api.Bytes;
import io.ringkv.storage.log.LogStorageEngines;
import io.ringkv.storage.log.LogStorageStats;
import io.ringkv.storage.spi.StorageEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Start-up of the log engine over 1 M keys with 1 KiB values (about 1.1 GB of log): from the
 * index snapshot a clean close leaves ({@code snapshot}), and from the log alone, the snapshot
 * deleted ({@code full-scan}, what a crash before the first snapshot leaves). The log stays in the
 * page cache between iterations (a warm start). Also prints the index's bytes per key, as the
 * engine counts them and as the heap grows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch",
    "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.util=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
    "-Dchronicle.analytics.disable=true", "-Dchronicle.announcer.disable=true"})
public class RecoveryBenchmark {
  @Param({"snapshot", "full-scan"})
  public String start;

  @Param({"1000000"})
  public int keys;

  @Param({"1024"})
  public int valueBytes;

  private Path directory;
  private StorageEngine opened;
  private long heapBefore;

  @Setup(Level.Trial)
  public void load() {
    directory = Engines.temporaryFolder("ringkv-recovery-");
    Bytes value = Engines.value(valueBytes);
    try (StorageEngine engine = open()) {
      for (int i = 0; i < keys; i++) {
        engine.put(Engines.key(i), Engines.version(value, 1));
      }
    }
  }

  @Setup(Level.Iteration)
  public void prepare() throws IOException {
    if (start.equals("full-scan")) {
      Files.deleteIfExists(directory.resolve("index.snapshot"));
    }
    heapBefore = usedHeap();
  }

  @Benchmark
  public StorageEngine recover() {
    opened = open();
    return opened;
  }

  @TearDown(Level.Iteration)
  public void closeIteration() {
    LogStorageStats stats = LogStorageEngines.stats(opened).orElseThrow();
    if (stats.keys() != keys) {
      throw new IllegalStateException("recovered " + stats.keys() + " keys, expected " + keys);
    }
    long heapAfter = usedHeap();
    System.out.printf("%n[%s] %d keys, recovery %d ms (%s, %d records read); index %d bytes = %.1f bytes/key; "
            + "heap grew %.1f bytes/key%n", start, stats.keys(), stats.recoveryMillis(),
        stats.recoveredFromSnapshot() ? "snapshot" : "full scan", stats.recordsReplayed(), stats.indexBytes(),
        stats.indexBytesPerKey(), (double) (heapAfter - heapBefore) / stats.keys());
    opened.close();
    opened = null;
  }

  @TearDown(Level.Trial)
  public void delete() {
    Engines.delete(directory);
  }

  private StorageEngine open() {
    return Engines.open("log", directory);
  }

  private static long usedHeap() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
