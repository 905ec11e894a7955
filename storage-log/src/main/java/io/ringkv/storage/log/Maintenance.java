package io.ringkv.storage.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's one background thread: index snapshots (every {@code snapshot.interval.records}
 * appends) and compactions (checked every 1024 appends and whenever a file closes). Writers only
 * count and, when a check is due, hand it to the thread; they never wait for it.
 */
final class Maintenance implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);
  private static final int CHECK_EVERY = 1024;

  private final ChronicleLog log;
  private final KeyTable table;
  private final Durability durability;
  private final Compactor compactor;
  private final Path directory;
  private final long snapshotInterval;
  private final ExecutorService executor;
  private final AtomicBoolean pending = new AtomicBoolean();
  private final AtomicLong appends = new AtomicLong();
  private volatile long appendsAtSnapshot;
  private volatile int lastCycle;
  private volatile boolean closing;

  Maintenance(ChronicleLog log, KeyTable table, Durability durability, Compactor compactor, Path directory,
      long snapshotInterval) {
    this.log = log;
    this.table = table;
    this.durability = durability;
    this.compactor = compactor;
    this.directory = directory;
    this.snapshotInterval = snapshotInterval;
    this.lastCycle = log.activeCycle();
    this.executor = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "ringkv-log-maintenance");
      thread.setDaemon(true);
      return thread;
    });
  }

  boolean closing() {
    return closing;
  }

  /** Counts an append; hands a check to the thread when one is due. */
  void appended() {
    long n = appends.incrementAndGet();
    int cycle = log.activeCycle();
    boolean snapshotDue = snapshotInterval > 0 && n - appendsAtSnapshot >= snapshotInterval;
    if ((snapshotDue || n % CHECK_EVERY == 0 || cycle != lastCycle) && pending.compareAndSet(false, true)) {
      lastCycle = cycle;
      try {
        executor.execute(this::check);
      } catch (RejectedExecutionException closed) {
        pending.set(false);
      }
    }
  }

  private void check() {
    pending.set(false);
    try {
      if (snapshotInterval > 0 && appends.get() - appendsAtSnapshot >= snapshotInterval) {
        snapshot();
      }
      // Each round compacts the oldest files with the most dead bytes; go on while still due.
      for (int round = 0; round < 64 && !closing && compactor.due(); round++) {
        if (!compactor.compactBest()) {
          break;
        }
      }
    } catch (RuntimeException e) {
      LOG.error("log maintenance failed; it will be tried again", e);
    }
  }

  /** Writes an index snapshot now (on the calling thread). */
  void snapshot() {
    long[] cut = {0};
    KeyTable.Capture[] capture = {null};
    log.underAppendLock(() -> {
      cut[0] = log.lastAppended();
      capture[0] = table.capture();
      appendsAtSnapshot = appends.get();
    });
    long started = System.nanoTime();
    try {
      durability.forceUpTo(cut[0]);
      IndexSnapshot.write(directory, cut[0], capture[0].index(), capture[0].totals());
      LOG.debug("wrote an index snapshot of {} keys in {} ms", capture[0].index().size(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not write the index snapshot; the next start will replay more of the log", e);
    }
  }

  /** Runs a task on the maintenance thread and waits for it (tests, benchmarks). */
  <T> T run(Callable<T> task) {
    Future<T> future = executor.submit(task);
    try {
      return future.get(5, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for log maintenance", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("log maintenance failed", e.getCause());
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new IllegalStateException("log maintenance did not finish within 5 minutes", e);
    }
  }

  long compactions() {
    return compactor.compactions();
  }

  Compactor compactor() {
    return compactor;
  }

  /** Stops the thread, cancelling a compaction in progress; waits at most 60 s. */
  @Override
  public void close() {
    closing = true;
    executor.shutdown();
    try {
      if (!executor.awaitTermination(60, TimeUnit.SECONDS)) {
        LOG.warn("log maintenance did not stop within 60 s");
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      executor.shutdownNow();
    }
  }
}
