package io.ringkv.storage.log;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
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
 *   <li>{@code fallocate} reserves the disk blocks (through Chronicle's POSIX binding); the
 *       appender checks, through {@link #reserved}, that this was done before it writes, since a
 *       write to an unreserved page of a full file system faults the process (SIGBUS);
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
  /** What a reservation made on the appender's thread covers beyond the record it is made for. */
  private static final long SYNC_RESERVE_EXTRA = 2L << 20;

  /** What reserving a file's blocks came to. */
  enum Reserved {
    /** The blocks are the file's: writes through a mapping of them cannot fail for want of space. */
    DONE,
    /** The file system is full: a write through a mapping there would fault the process. */
    NO_SPACE,
    /** This platform or file system cannot reserve blocks: nothing is known, nothing is guarded. */
    UNSUPPORTED,
    /** The reservation failed for another reason (an I/O error, too many open files): not reserved. */
    FAILED
  }

  /** Where the disk space comes from: the file system, or a stand-in that tests fill up. */
  interface Disk {
    /** Reserves the blocks of {@code [from, to)} of {@code file}, changing no byte of it. */
    Reserved reserve(Path file, long from, long to);

    /** Bytes free for this process on the file system of {@code directory}. */
    long usableBytes(Path directory) throws IOException;
  }

  /** The real file system: {@code fallocate} through Chronicle's POSIX binding. */
  static final Disk FILE_SYSTEM = new Disk() {
    private static final int ENOENT = 2;
    private static final int ENOSPC = 28;
    private static final int ENOSYS = 38;
    private static final int EOPNOTSUPP = 95;
    private static final int EDQUOT = 122;
    /** {@code FALLOC_FL_KEEP_SIZE}: blocks past the end stay reserved for when Chronicle grows the file. */
    private static final int KEEP_SIZE = 1;

    @Override
    public Reserved reserve(Path file, long from, long to) {
      PosixAPI posix = PosixAPI.posix();
      int fd = posix.open(file.toString(), OpenFlag.O_RDWR, 0);
      if (fd < 0) {
        // Deleted meanwhile (compacted away): nothing will be written there. Anything else is a failure.
        return posix.lastError() == ENOENT ? Reserved.DONE : Reserved.FAILED;
      }
      try {
        if (posix.fallocate(fd, KEEP_SIZE, from, to - from) == 0) {
          return Reserved.DONE;
        }
        int errno = posix.lastError();
        if (errno == ENOSPC || errno == EDQUOT) {
          return Reserved.NO_SPACE;
        }
        if (errno == EOPNOTSUPP || errno == ENOSYS) {
          return Reserved.UNSUPPORTED;
        }
        // The binding falls back through several calls, so errno may not be fallocate's: ask the file system too.
        return usableBytes(file.getParent()) < to - from ? Reserved.NO_SPACE : Reserved.FAILED;
      } catch (IOException e) {
        return Reserved.FAILED;
      } finally {
        posix.close(fd);
      }
    }

    @Override
    public long usableBytes(Path directory) throws IOException {
      return Files.getFileStore(directory).getUsableSpace();
    }
  };

  private final CycleFiles files;
  private final Disk disk;
  /** The log position (cycle and offset) up to which the newest file's blocks are reserved. */
  private final AtomicLong reservedUpTo = new AtomicLong();
  private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
    Thread thread = new Thread(runnable, "ringkv-log-warmer");
    thread.setDaemon(true);
    return thread;
  });
  private volatile boolean noFallocate;
  private volatile boolean noPopulate;
  private volatile boolean noMadvise;

  FileWarmer(CycleFiles files) {
    this(files, FILE_SYSTEM, true);
  }

  /**
   * {@code disk}: where space is reserved; {@code madvise} false: pages are always prefaulted one by
   * one, as where the kernel lacks it (both for tests).
   */
  FileWarmer(CycleFiles files, Disk disk, boolean madvise) {
    this.files = files;
    this.disk = disk;
    this.noMadvise = !madvise;
  }

  /**
   * Makes sure the blocks of {@code [from, to)} of the file of {@code cycle} are reserved before the
   * appender writes there, reserving them now (on the calling thread) when the warmer has not yet.
   * Where blocks cannot be reserved at all ({@link Reserved#UNSUPPORTED}), there is nothing to check.
   *
   * @return {@link Reserved#DONE} or {@link Reserved#UNSUPPORTED} when the appender may write there
   */
  Reserved reserved(int cycle, long from, long to) {
    if (noFallocate) {
      return Reserved.UNSUPPORTED;
    }
    if (reservedUpTo.get() >= CycleFiles.position(cycle, to)) {
      return Reserved.DONE;
    }
    // Reserve a stretch more, so the appends that follow find it done, unless only this much fits.
    Reserved more = reserve(cycle, from, to + SYNC_RESERVE_EXTRA);
    return more == Reserved.NO_SPACE ? reserve(cycle, from, to) : more;
  }

  /** Whether the appender may write where {@link #reserved} said so. */
  static boolean writable(Reserved reserved) {
    return reserved == Reserved.DONE || reserved == Reserved.UNSUPPORTED;
  }

  /** Bytes free on the log's file system; {@link Long#MAX_VALUE} when that cannot be known. */
  long usableBytes() {
    try {
      return disk.usableBytes(files.directory());
    } catch (IOException | RuntimeException e) {
      return Long.MAX_VALUE;
    }
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
    WarmTask task = new WarmTask(store, owner, () -> warmNow(cycle, from, to, store, owner, releaseFrom, releaseTo));
    try {
      executor.execute(task);
    } catch (RejectedExecutionException closed) {
      task.dropped(); // the log is closing: nothing left to warm
    }
  }

  /** A queued warming, which holds a reservation of the appender's store until it has run or is dropped. */
  private record WarmTask(MappedBytesStore store, ReferenceOwner owner, Runnable work) implements Runnable {
    @Override
    public void run() {
      work.run(); // releases the store itself
    }

    void dropped() {
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
    try {
      // Pages whose blocks could not be reserved are left alone: on a full file system, touching
      // them through a mapping faults (SIGBUS). The appender checks the reservation before writing.
      boolean reserved;
      try {
        reserved = writable(reserve(cycle, from, to));
        if (store != null) {
          if (reserved) {
            populate(store, from, to);
          }
          unmapBehind(store, releaseFrom, releaseTo);
        }
      } finally {
        if (store != null) {
          store.release(owner);
        }
      }
      if (reserved) {
        files.touch(cycle, from, to);
      }
    } catch (NoSuchFileException | ClosedChannelException compacted) {
      // Deleted meanwhile: nothing to warm.
    } catch (IOException e) {
      LOG.debug("could not warm log file {}: {}", cycle, e.toString());
    } catch (RuntimeException | Error e) {
      // Warming is an optimisation: whatever went wrong, the appender does without it.
      LOG.warn("could not warm log file {}: {}", cycle, e.toString());
    }
  }

  private Reserved reserve(int cycle, long from, long to) {
    if (noFallocate) {
      return Reserved.UNSUPPORTED;
    }
    Reserved result;
    try {
      result = disk.reserve(files.fileOf(cycle), from, to);
    } catch (RuntimeException | LinkageError e) {
      disableFallocate(e.toString());
      return Reserved.UNSUPPORTED;
    }
    switch (result) {
      case DONE -> {
        // The mark says everything below it is reserved, so it only moves over a contiguous stretch:
        // a reservation that starts past it (one before it failed) leaves it where it is. The first
        // reservation of a newer file starts it afresh (the file's head was checked for space).
        long start = CycleFiles.position(cycle, from);
        long end = CycleFiles.position(cycle, to);
        reservedUpTo.updateAndGet(mark -> CycleFiles.cycle(mark) < cycle || start <= mark ? Math.max(mark, end) : mark);
      }
      case UNSUPPORTED -> disableFallocate("fallocate is not supported here");
      default -> { }
    }
    return result;
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
    for (Runnable queued : executor.shutdownNow()) {
      // Never run: let go of the stores they reserved, or their mappings (and the disk space of
      // files deleted meanwhile) would stay pinned.
      if (queued instanceof WarmTask task) {
        task.dropped();
      }
    }
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("the log file warmer did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
