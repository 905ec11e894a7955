package io.ringkv.testkit.storage;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Dot;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import io.ringkv.storage.spi.KeyPartitioner;
import io.ringkv.storage.spi.StorageEngine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The concurrent workload of {@link StorageEngineContractTest}: writer threads put random
 * versions to a few keys while one reader walks every partition. Every wait is bounded.
 *
 * <p>Each put is a fresh dot of the writer's actor whose context joins the clock of the writer's
 * previous version of the key with the clocks of a few random versions any writer put to it.
 * Contexts built that way are causally closed (a context that covers a dot covers everything
 * that version had seen), as real read-then-write contexts are, so a correct engine ends with
 * {@code Siblings.of(every version put to the key)} in every interleaving.
 */
final class ConcurrentWriters {
  private final StorageEngine engine;
  private final KeyPartitioner partitioner;
  private final int partitions;
  private final long waitSeconds;
  private final Map<Key, List<Versioned<Bytes>>> written = new ConcurrentHashMap<>();
  private final Queue<String> failures = new ConcurrentLinkedQueue<>();

  ConcurrentWriters(StorageEngine engine, KeyPartitioner partitioner, int partitions, long waitSeconds) {
    this.engine = engine;
    this.partitioner = partitioner;
    this.partitions = partitions;
    this.waitSeconds = waitSeconds;
  }

  /** Runs the workload to its end; throws if a thread fails or any wait times out. */
  void run(int threads, int putsPerThread, List<Key> keys) throws Exception {
    keys.forEach(key -> written.put(key, new CopyOnWriteArrayList<>()));
    CountDownLatch start = new CountDownLatch(1);
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        writers.add(pool.submit(() -> {
          awaitStart(start);
          write(thread, putsPerThread, keys);
          return null;
        }));
      }
      Future<?> reader = pool.submit(() -> {
        awaitStart(start);
        while (writing.get() && !Thread.currentThread().isInterrupted()) {
          readEveryPartition();
        }
        return null;
      });
      start.countDown();
      for (Future<?> writer : writers) {
        writer.get(waitSeconds, TimeUnit.SECONDS);
      }
      writing.set(false);
      reader.get(waitSeconds, TimeUnit.SECONDS);
    } finally {
      writing.set(false);
      pool.shutdownNow();
      if (!pool.awaitTermination(waitSeconds, TimeUnit.SECONDS)) {
        throw new TimeoutException("workload threads still running " + waitSeconds + " s after shutdown");
      }
    }
  }

  /** Every version put, by key. */
  Map<Key, List<Versioned<Bytes>>> written() {
    return written;
  }

  /** What went wrong during the run, one line each; empty when nothing did. */
  List<String> failures() {
    return List.copyOf(failures);
  }

  private void write(int thread, int puts, List<Key> keys) {
    Random random = new Random(7919L * (thread + 1));
    Actor self = new Actor(NodeId.of("writer-" + thread), 1);
    Map<Key, Versioned<Bytes>> previous = new HashMap<>();
    for (int i = 0; i < puts; i++) {
      Key key = keys.get(random.nextInt(keys.size()));
      List<Versioned<Bytes>> history = written.get(key);
      Versioned<Bytes> mine = previous.get(key);
      VectorClock context = mine == null ? VectorClock.empty() : mine.clock();
      int snapshot = history.size();
      for (int r = random.nextInt(3); r > 0 && snapshot > 0; r--) {
        context = context.merge(history.get(random.nextInt(snapshot)).clock());
      }
      Dot dot = new Dot(self, mine == null ? 1 : mine.dot().counter() + 1);
      Versioned<Bytes> version = random.nextInt(10) == 0
          ? new Versioned<>(Bytes.EMPTY, dot, context, random.nextInt(1_000_000), true)
          : new Versioned<>(Bytes.utf8(thread + ":" + i), dot, context, random.nextInt(1_000_000), false);
      history.add(version);
      previous.put(key, version);
      Siblings incoming = Siblings.of(version);
      Siblings result = engine.put(key, incoming);
      if (!result.contains(incoming)) {
        failures.add("put of " + version.dot() + " to " + key + " returned " + result
            + ", which neither holds it nor supersedes it");
      }
    }
  }

  private void readEveryPartition() {
    for (int p = 0; p < partitions; p++) {
      int partition = p;
      engine.forEachInPartition(partition, (key, siblings) -> {
        if (siblings.isEmpty() || partitioner.partitionOf(key) != partition) {
          failures.add("forEachInPartition(" + partition + ") yielded " + key + " with " + siblings);
        }
      });
    }
    engine.keyCount();
  }

  private void awaitStart(CountDownLatch start) throws InterruptedException, TimeoutException {
    if (!start.await(waitSeconds, TimeUnit.SECONDS)) {
      throw new TimeoutException("the start signal did not come within " + waitSeconds + " s");
    }
  }
}
