package io.ringkv.storage.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.NavigableSet;
import java.util.concurrent.CompletableFuture;

/**
 * Makes appended records durable according to {@link SyncPolicy}. {@link #forceUpTo} is the
 * shared primitive: it forces every file up to a position's (files below it are complete, as
 * appends go in order) and the folder when new files appeared since the last time.
 */
abstract class Durability implements AutoCloseable {
  private final CycleFiles files;
  private int forcedFrom;
  private volatile int directoryForcedUpTo;

  Durability(CycleFiles files) {
    this.files = files;
    NavigableSet<Integer> existing = files.list();
    this.forcedFrom = existing.isEmpty() ? 1 : existing.first();
  }

  static Durability of(SyncPolicy policy, CycleFiles files, ChronicleLog log, int batchIntervalMillis) {
    switch (policy) {
      case NONE:
        return new Durability(files) {
          @Override
          void awaitDurable(long position) {
            // Page cache only: a process crash keeps the write, a power loss may not.
          }
        };
      case ALWAYS:
        return new Durability(files) {
          @Override
          void awaitDurable(long position) {
            forceCycle(CycleFiles.cycle(position));
          }
        };
      case BATCH:
        return new GroupCommit(files, log, batchIntervalMillis);
      default:
        throw new IllegalArgumentException("sync policy " + policy + " is unknown");
    }
  }

  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  /** Returns once the record at {@code position} is as durable as the policy promises. */
  abstract void awaitDurable(long position);

  /**
   * Completes once the record at {@code position} is as durable as the policy promises, or
   * exceptionally when it never will be. The default waits in the caller, as {@link #awaitDurable}.
   */
  CompletableFuture<Void> whenDurable(long position) {
    try {
      awaitDurable(position);
      return DONE;
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Forces every file holding records up to {@code position}. */
  final synchronized void forceUpTo(long position) {
    int upTo = CycleFiles.cycle(position);
    if (upTo <= 0) {
      return;
    }
    forceDirectoryUpTo(upTo);
    for (int cycle = forcedFrom; cycle <= upTo; cycle++) {
      try {
        files.force(cycle);
      } catch (NoSuchFileException gone) {
        // Never written, or compacted away: nothing to force.
      } catch (IOException e) {
        throw new UncheckedIOException("fsync of the log file " + files.fileOf(cycle) + " failed", e);
      }
    }
    forcedFrom = upTo;
  }

  /**
   * Forces one file (and the folder first when the file is new). A file deleted since its record
   * was appended (the append lock is let go before the wait) has nothing left to force: files are
   * only deleted once what they hold is durable elsewhere or no longer needed (compacted copies
   * forced, hints released with the watermark forced).
   */
  final void forceCycle(int cycle) {
    forceDirectoryUpTo(cycle);
    try {
      files.force(cycle);
    } catch (NoSuchFileException gone) {
      // Deleted meanwhile: see above.
    } catch (IOException e) {
      throw new UncheckedIOException("fsync of the log file " + files.fileOf(cycle) + " failed", e);
    }
  }

  private void forceDirectoryUpTo(int cycle) {
    if (cycle > directoryForcedUpTo) {
      synchronized (files) {
        if (cycle > directoryForcedUpTo) {
          try {
            files.forceDirectory();
          } catch (IOException e) {
            throw new UncheckedIOException("fsync of the log folder " + files.directory() + " failed", e);
          }
          directoryForcedUpTo = cycle;
        }
      }
    }
  }

  @Override
  public void close() {
  }
}
