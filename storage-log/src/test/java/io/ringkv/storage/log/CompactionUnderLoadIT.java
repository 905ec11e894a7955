package io.ringkv.storage.log;

import static io.ringkv.storage.log.Fixtures.open;
import static io.ringkv.storage.log.Fixtures.smallFiles;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.Bytes;
import io.ringkv.api.Dot;
import io.ringkv.api.Key;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compactions run on their own while three writers overwrite their keys and a reader reads keys
 * and walks partitions, for a bounded time: no read ever sees a version older than the one last
 * acknowledged for its key, or a value that does not match its version; disk use stays bounded
 * however much is written; and everything is still there after a restart.
 */
class CompactionUnderLoadIT {
  private static final int WRITERS = 3;
  private static final int KEYS_PER_WRITER = 30;
  private static final long RUN_MILLIS = 6_000;

  @TempDir
  Path directory;

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void readsAndWritesCarryOnWhileCompactionsBoundTheLog() throws Exception {
    AtomicLongArray acked = new AtomicLongArray(WRITERS * KEYS_PER_WRITER);
    Queue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong written = new AtomicLong();
    AtomicLong reads = new AtomicLong();
    long maxLog = 0;
    long maxDisk = 0;
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1);
    try (LogStorageEngine engine = open(directory, options())) {
      List<Future<?>> tasks = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        tasks.add(pool.submit(() -> write(engine, writer, acked, running, written)));
      }
      tasks.add(pool.submit(() -> read(engine, acked, running, failures, reads)));
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS);
      while (System.nanoTime() < end) {
        LogStorageStats stats = engine.stats();
        maxLog = Math.max(maxLog, stats.logBytes());
        maxDisk = Math.max(maxDisk, stats.diskBytes());
        TimeUnit.MILLISECONDS.sleep(20); // sampling interval of the disk-use probe; no test waits on it
      }
      running.set(false);
      for (Future<?> task : tasks) {
        task.get(30, TimeUnit.SECONDS);
      }
      LogStorageStats stats = engine.stats();
      System.out.printf("compaction under load: %d bytes written, %d reads, %d compactions, log peak %d bytes, "
          + "disk peak %d bytes, live %d bytes%n", written.get(), reads.get(), stats.compactions(), maxLog, maxDisk,
          stats.liveBytes());
      assertThat(failures).isEmpty();
      assertThat(stats.compactions()).isGreaterThanOrEqualTo(5);
      assertThat(written.get()).as("enough written to matter").isGreaterThan(8L << 20);
      assertThat(maxLog).as("log bytes never grow with what is written").isLessThan(written.get() / 4);
      assertThat(maxDisk).isLessThan(written.get() / 2);
      checkFinal(engine, acked);
      engine.closeWithoutSnapshot();
    } finally {
      running.set(false);
      pool.shutdownNow();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
    try (LogStorageEngine engine = open(directory, options())) {
      checkFinal(engine, acked);
    }
  }

  private static Map<String, String> options() {
    return smallFiles("file.bytes", "1m", "block.bytes", "1m", "compaction.min.bytes", "0",
        "snapshot.interval.records", "20000");
  }

  private static Key key(int index) {
    return Key.of("load", "key-" + index);
  }

  private static Bytes value(int index, long counter) {
    return Bytes.utf8(index + ":" + counter + ":" + "v".repeat(200 + (int) (counter % 300)));
  }

  private static void write(LogStorageEngine engine, int writer, AtomicLongArray acked, AtomicBoolean running,
      AtomicLong written) {
    Random random = new Random(writer);
    while (running.get()) {
      int index = writer * KEYS_PER_WRITER + random.nextInt(KEYS_PER_WRITER);
      long counter = acked.get(index) + 1;
      VectorClock context = counter == 1 ? VectorClock.empty()
          : VectorClock.empty().with(new Dot(Fixtures.WRITER, counter - 1), counter - 1);
      Bytes value = value(index, counter);
      engine.put(key(index), Siblings.of(new Versioned<>(value, new Dot(Fixtures.WRITER, counter), context, counter,
          false)));
      acked.set(index, counter);
      written.addAndGet(value.length());
    }
  }

  private static void read(LogStorageEngine engine, AtomicLongArray acked, AtomicBoolean running,
      Queue<String> failures, AtomicLong reads) {
    Random random = new Random(99);
    while (running.get()) {
      int index = random.nextInt(acked.length());
      long before = acked.get(index);
      Siblings read = engine.get(key(index));
      reads.incrementAndGet();
      if (before > 0) {
        if (read.size() != 1 || read.versions().get(0).dot().counter() < before) {
          failures.add(key(index) + " read " + read + " after version " + before + " was acknowledged");
        } else if (!read.versions().get(0).value().equals(value(index, read.versions().get(0).dot().counter()))) {
          failures.add(key(index) + " read a value that is not its version's");
        }
      }
      if (random.nextInt(50) == 0) {
        engine.forEachInPartition(random.nextInt(Fixtures.PARTITIONS), (key, siblings) -> {
          if (siblings.size() != 1) {
            failures.add("the walk yielded " + key + " with " + siblings);
          }
        });
      }
    }
  }

  private static void checkFinal(LogStorageEngine engine, AtomicLongArray acked) {
    for (int index = 0; index < acked.length(); index++) {
      if (acked.get(index) > 0) {
        Siblings stored = engine.get(key(index));
        assertThat(stored.versions()).hasSize(1);
        assertThat(stored.versions().get(0).dot().counter()).isEqualTo(acked.get(index));
        assertThat(stored.versions().get(0).value()).isEqualTo(value(index, acked.get(index)));
      }
    }
  }
}
