package io.ringkv.benchmarks;

import io.ringkv.api.Bytes;
import io.ringkv.api.Siblings;
import io.ringkv.storage.spi.StorageEngine;
import java.nio.file.Path;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Puts and gets of 1 KiB values: the log engine ({@code sync=none}, default file and compaction
 * settings, so compactions run during the measurement), the same with the previous, lower
 * compaction threshold (0.5), the same without compaction (the append path alone), and the
 * in-memory engine. Every put writes a new version of a random key that
 * supersedes the stored one (an update after a read), so each engine keeps one version per key;
 * the keys are loaded before measuring. Single-threaded; heaps pre-touched for both engines.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch",
    "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.util=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
    "-Dchronicle.analytics.disable=true", "-Dchronicle.announcer.disable=true"})
@Threads(1)
public class StorageEngineBenchmark {
  @Param({"memory", "log", "log-compaction-0.5", "log-no-compaction"})
  public String engine;

  @Param({"100000"})
  public int keys;

  @Param({"1024"})
  public int valueBytes;

  private Path directory;
  private StorageEngine store;
  private Bytes value;
  private long[] counters;
  private final SplittableRandom random = new SplittableRandom(42);

  @Setup(Level.Trial)
  public void open() {
    directory = Engines.temporaryFolder("ringkv-bench-");
    store = Engines.open(engine, directory);
    value = Engines.value(valueBytes);
    counters = new long[keys];
    for (int i = 0; i < keys; i++) {
      counters[i] = 1;
      store.put(Engines.key(i), Engines.version(value, 1));
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    store.close();
    Engines.delete(directory);
  }

  @Benchmark
  public Siblings put() {
    int i = random.nextInt(keys);
    return store.put(Engines.key(i), Engines.version(value, ++counters[i]));
  }

  @Benchmark
  public Siblings get() {
    return store.get(Engines.key(random.nextInt(keys)));
  }
}
