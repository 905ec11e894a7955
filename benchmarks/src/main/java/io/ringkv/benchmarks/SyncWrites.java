package io.ringkv.benchmarks;

import io.ringkv.api.Bytes;
import io.ringkv.storage.log.LogStorageEngines;
import io.ringkv.storage.spi.StorageEngine;
import io.ringkv.storage.spi.StorageSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The log engine's group commit under many waiting writers, as a node sees it: {@code THREADS}
 * threads each write a 1 KiB version and wait until it is durable ({@code sync=batch}), then the
 * next, {@code WRITES} in all. Prints writes per second and the process's CPU per write (every
 * thread: the writers, the group-commit thread, the fsync system calls). The CPU per write is
 * the figure to compare between builds; run each a few times, in turn. The kernel's write-back
 * threads are not in it. The log's options are its defaults ({@code batch.interval.ms} 2).
 *
 * <pre>
 * java @distribution/src/main/conf/jvm.options -cp benchmarks/target/benchmarks.jar \
 *     io.ringkv.benchmarks.SyncWrites [THREADS] [WRITES]
 * </pre>
 */
public final class SyncWrites {
  private SyncWrites() {}

  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 16;
    int writes = (args.length > 1 ? Integer.parseInt(args[1]) : 20_000) / threads * threads;
    Path dir = Engines.temporaryFolder("ringkv-sync-writes");
    StorageEngine engine = LogStorageEngines.open(new StorageSettings(dir, Engines.PARTITIONER,
        Map.of("sync", "batch")));
    try {
      Bytes value = Engines.value(1024);
      run(engine, value, threads, writes, Math.min(writes, 2_000)); // warm-up, other keys
      long cpu0 = ProcessCpu.nanos();
      long t0 = System.nanoTime();
      run(engine, value, threads, 0, writes);
      long wall = System.nanoTime() - t0;
      long cpu = ProcessCpu.nanos() - cpu0;
      System.out.printf("%d threads, %d writes: %.0f writes/s, %.1f us CPU per write%n", threads,
          writes, writes / (wall / 1e9), cpu / 1e3 / writes);
    } finally {
      engine.close();
      Engines.delete(dir);
    }
  }

  /** {@code writes} new keys from {@code firstKey} on, each written once. */
  private static void run(StorageEngine engine, Bytes value, int threads, int firstKey,
      int writes) throws InterruptedException {
    List<Thread> all = new ArrayList<>();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    for (int t = 0; t < threads; t++) {
      int from = firstKey + t * (writes / threads);
      int count = writes / threads;
      Thread w = new Thread(() -> {
        try {
          for (int i = 0; i < count; i++) {
            int k = from + i;
            engine.write(Engines.key(k), Engines.version(value, 1)).durable()
                .orTimeout(30, TimeUnit.SECONDS).join();
          }
        } catch (RuntimeException e) {
          failed.compareAndSet(null, e);
        }
      });
      all.add(w);
      w.start();
    }
    for (Thread w : all) {
      w.join(TimeUnit.MINUTES.toMillis(5));
      if (w.isAlive()) {
        throw new IllegalStateException("a writer did not finish within 5 minutes");
      }
    }
    if (failed.get() != null) {
      throw new IllegalStateException("a write failed", failed.get());
    }
  }
}
