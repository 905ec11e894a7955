package io.ringkv.storage.log;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.chronicle.core.io.ReferenceOwner;
import net.openhft.posix.OpenFlag;
import net.openhft.posix.PosixAPI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares the part of the log file just ahead of the appender, on its own thread, so the
 * appender never stops for a page fault. Chronicle's files are sparse and written through a memory
 * map, so otherwise every first write to a page faults: the kernel allocates and zeroes a page,
 * reserves its disk block and maps it writable, several microseconds for every four 1 KiB records.
 * Three steps, none of which changes a byte of the file, so they are safe while the appender writes it:
 * <ol>
 *   <li>{@code fallocate} reserves the disk blocks (through Chronicle's POSIX binding);
 *   <li>Chronicle's own writable mapping of that part of the file is populated, writable, with
 *       {@code madvise(MADV_POPULATE_WRITE)} (Linux 5.14 and later), or where that is missing by a
 *       compare-and-swap of zero for zero on each page (what Chronicle's own {@code MicroToucher}
 *       does), which faults the page in without changing it;
 *   <li>a byte of each page is read through the engine's read map, so the reads that follow
 *       (merges, gets) find the pages mapped.
 * </ol>
 */
final class FileWarmer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FileWarmer.class);

  /** Linux's {@code MADV_POPULATE_WRITE}. */
  private static final int MADV_POPULATE_WRITE = 23;
  private static final int MADV_DONTNEED = 4;
  private static final long PAGE = 4096;

  private final CycleFiles files;
  private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
    Thread thread = new Thread(runnable, "ringkv-log-warmer");
    thread.setDaemon(true);
    return thread;
  });
  private volatile boolean noFallocate;
  private volatile boolean noPopulate;
  private volatile boolean noMadvise;

  FileWarmer(CycleFiles files) {
    this(files, true);
  }

  /** {@code madvise} false: pages are always prefaulted one by one, as where the kernel lacks it (for tests). */
  FileWarmer(CycleFiles files, boolean madvise) {
    this.files = files;
    this.noMadvise = !madvise;
  }

  /**
   * Warms {@code [from, to)} of the file of {@code cycle} in the background; {@code appenderStore}
   * is the mapping Chronicle's appender writes through (null: none to populate). Called under the
   * log's append lock, so the store is alive; it is reserved until the warming is done.
   */
  void warm(int cycle, long from, long to, BytesStore<?, ?> appenderStore, long releaseFrom, long releaseTo) {
    if (to <= from) {
      return;
    }
    // One owner per task: tasks may queue up, and Chronicle's reference tracing (when on) refuses
    // an owner reserving the same store twice.
    ReferenceOwner owner = ReferenceOwner.temporary("ringkv-log-warmer");
    MappedBytesStore store = appenderStore instanceof MappedBytesStore mapped && !noPopulate
        && reserve(mapped, owner) ? mapped : null;
    try {
      executor.execute(() -> warmNow(cycle, from, to, store, owner, releaseFrom, releaseTo));
    } catch (RejectedExecutionException closed) {
      // The log is closing: nothing left to warm.
      if (store != null) {
        store.release(owner);
      }
    }
  }

  private boolean reserve(MappedBytesStore store, ReferenceOwner owner) {
    try {
      return store.tryReserve(owner);
    } catch (RuntimeException e) {
      return false; // released meanwhile: the appender has moved on, nothing to populate
    }
  }

  private void warmNow(int cycle, long from, long to, MappedBytesStore store, ReferenceOwner owner, long releaseFrom,
      long releaseTo) {
    allocate(files.fileOf(cycle), from, to);
    if (store != null) {
      try {
        populate(store, from, to);
        unmapBehind(store, releaseFrom, releaseTo);
      } finally {
        store.release(owner);
      }
    }
    try {
      files.touch(cycle, from, to);
    } catch (NoSuchFileException | ClosedChannelException compacted) {
      // Deleted meanwhile: nothing to warm.
    } catch (IOException e) {
      LOG.debug("could not warm log file {}: {}", cycle, e.toString());
    }
  }

  private void allocate(Path file, long from, long to) {
    if (noFallocate) {
      return;
    }
    try {
      PosixAPI posix = PosixAPI.posix();
      int fd = posix.open(file.toString(), OpenFlag.O_RDWR, 0);
      if (fd < 0) {
        return; // deleted meanwhile
      }
      try {
        int rc = posix.fallocate(fd, 0, from, to - from);
        if (rc != 0) {
          disableFallocate("fallocate returned " + rc);
        }
      } finally {
        posix.close(fd);
      }
    } catch (RuntimeException | LinkageError e) {
      disableFallocate(e.toString());
    }
  }

  /** Faults the pages of {@code [from, to)} that {@code store} maps into it, writable, without changing them. */
  private void populate(MappedBytesStore store, long from, long to) {
    long start = Math.max(from & -PAGE, store.start());
    long end = Math.min(to, store.safeLimit());
    if (end <= start || noPopulate) {
      return;
    }
    try {
      long address = store.addressForWrite(start);
      if (!noMadvise && address % PAGE == 0) {
        if (PosixAPI.posix().madvise(address, end - start, MADV_POPULATE_WRITE) == 0) {
          return;
        }
        noMadvise = true;
        LOG.info("madvise(MADV_POPULATE_WRITE) is not available (Linux 5.14 and later have it); log file pages "
            + "are prefaulted one by one");
      }
      // No MADV_POPULATE_WRITE here (older kernel, another OS): fault each page in by hand.
      for (long page = start; page < end; page += PAGE) {
        store.compareAndSwapLong(page, 0L, 0L);
      }
    } catch (RuntimeException | LinkageError e) {
      noPopulate = true;
      LOG.info("log file pages will not be prefaulted for the appender ({})", e.toString());
    }
  }

  /**
   * Drops the appender's mapping of the whole pages of {@code [from, to)}, which it has written and
   * moved past ({@code MADV_DONTNEED}: on a shared file mapping only the page table entries go,
   * written data stays in the page cache, and a later access maps the page again). An fsync then
   * finds those pages mapped writable nowhere, so cleaning them needs no TLB shootdown per page.
   */
  private void unmapBehind(MappedBytesStore store, long from, long to) {
    long start = Math.max((from + PAGE - 1) & -PAGE, store.start());
    long end = Math.min(to & -PAGE, store.safeLimit());
    if (end <= start || noPopulate) {
      return;
    }
    try {
      long address = store.addressForWrite(start);
      if (address % PAGE == 0) {
        PosixAPI.posix().madvise(address, end - start, MADV_DONTNEED);
      }
    } catch (RuntimeException | LinkageError e) {
      noPopulate = true;
      LOG.info("log file pages will not be prefaulted for the appender ({})", e.toString());
    }
  }

  private void disableFallocate(String why) {
    noFallocate = true;
    LOG.info("log file blocks will not be preallocated ({})", why);
  }

  /** Waits until what was asked before this call is done; false if that took longer than {@code timeoutMillis}. */
  boolean awaitQueued(long timeoutMillis) throws InterruptedException {
    try {
      executor.submit(() -> { }).get(timeoutMillis, TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
      return false;
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("the log file warmer did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
