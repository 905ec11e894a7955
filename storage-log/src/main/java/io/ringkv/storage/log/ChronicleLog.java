package io.ringkv.storage.log;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.RingkvException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NavigableSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only log: one Chronicle Queue whose documents are {@link RecordCodec} records.
 * Appends are serialised by one lock and go through one appender (so it always sits on the newest
 * file, and files deleted by a compaction are unmapped at once); the caller's index update runs
 * under the same lock, which makes "appended" and "indexed" one step for snapshots. Sequential
 * reads (recovery, compaction) use a tailer owned by the reading thread.
 */
final class ChronicleLog implements AutoCloseable {
  /** Receives records in log order; {@code buffer} is reused after the call returns. */
  @FunctionalInterface
  interface RecordVisitor {
    void visit(long position, byte[] buffer, int length);
  }

  private static final Logger LOG = LoggerFactory.getLogger(ChronicleLog.class);
  private static final RollCycle ROLL_CYCLE = RollCycles.FAST_DAILY;

  private final CycleFiles files;
  private final CycleClock clock;
  private final SingleChronicleQueue queue;
  private final long fileBytes;
  private final int maxRecordBytes;
  private final ReentrantLock appendLock = new ReentrantLock();
  private final FileWarmer warmer;
  /** Whether the current file is warmed ahead of the appender; without it, only the disk guard runs. */
  private final boolean warm;
  /** How far ahead of the appender the current file is warmed (see {@link FileWarmer}). */
  private static final long WARM_CHUNK = 4L << 20;
  /** How far behind the appender its mapping of the current file is let go (see {@link FileWarmer}). */
  private static final long RELEASE_MARGIN = 1L << 20;
  /**
   * How far past a record's end the disk must be reserved before it is appended: room for the
   * index array Chronicle may write after it (4096 entries of 8 bytes at this roll cycle) and more.
   */
  private static final long APPEND_MARGIN = 256L << 10;
  /** Free space needed to start a new file: its header and index, the first records, the first warming. */
  private static final long NEW_FILE_ROOM = 2 * WARM_CHUNK;
  private long warmedUpTo;
  private long releasedUpTo;
  private long nextWarmCheck;
  private ExcerptAppender appender;
  /** Offset of the first record and the end of the last one in the file appends go to (0, 0 when none yet). */
  private long dataStart;
  private long writeOffset;
  private volatile long lastAppended;
  private volatile boolean closed;

  private ChronicleLog(CycleFiles files, CycleClock clock, SingleChronicleQueue queue, LogOptions options,
      FileWarmer.Disk disk, boolean warm) {
    this.files = files;
    this.clock = clock;
    this.queue = queue;
    this.fileBytes = options.fileBytes();
    this.maxRecordBytes = options.maxRecordBytes();
    this.warmer = new FileWarmer(files, disk, true);
    this.warm = warm;
  }

  /** Opens (creating it if needed) the queue in {@code directory}; nothing is appended until {@link #startWriting}. */
  static ChronicleLog open(Path directory, LogOptions options) throws IOException {
    return open(directory, options, FileWarmer.FILE_SYSTEM);
  }

  /** {@code disk}: where the log's disk space comes from (the file system, or a test's stand-in). */
  static ChronicleLog open(Path directory, LogOptions options, FileWarmer.Disk disk) throws IOException {
    return open(directory, options, disk, true);
  }

  /**
   * {@code warm} false: no file is warmed ahead of the appender (no warming thread, no pages
   * reserved or faulted in ahead of need), for a log written at a low rate such as a hint queue;
   * every append still checks, and reserves on its own thread, the disk blocks it writes to.
   */
  static ChronicleLog open(Path directory, LogOptions options, FileWarmer.Disk disk, boolean warm) throws IOException {
    Files.createDirectories(directory);
    CycleFiles files = new CycleFiles(directory);
    NavigableSet<Integer> unstarted = files.deleteUnstarted();
    if (!unstarted.isEmpty()) {
      LOG.warn("deleted log file(s) {} of {}: created when the last process died, before Chronicle wrote their "
          + "first header, so they held no record", unstarted.stream().map(files::fileOf)
          .map(f -> f.getFileName().toString()).toList(), directory);
    }
    NavigableSet<Integer> cycles = files.list();
    CycleClock clock = new CycleClock(cycles.isEmpty() ? 1 : cycles.last() + 1);
    if (ROLL_CYCLE.lengthInMillis() != CycleClock.CYCLE_MILLIS) {
      throw new IllegalStateException("the log needs a daily roll cycle, got " + ROLL_CYCLE);
    }
    SingleChronicleQueue queue = ChronicleQueue.singleBuilder(directory)
        .rollCycle(ROLL_CYCLE)
        .timeProvider(clock)
        .blockSize(options.blockBytes())
        .checkInterrupts(false)
        // A write torn by a crash is resolved at the next start (Chronicle resets its header when
        // closing that file); bound how long it waits for the dead writer.
        .timeoutMS(1000)
        .build();
    return new ChronicleLog(files, clock, queue, options, disk, warm);
  }

  CycleFiles files() {
    return files;
  }

  /**
   * Calls {@code visitor} for every record after position {@code after} in the files of cycles
   * below {@code stopBeforeCycle}. A file's records end at its first incomplete document (a write
   * torn by a crash): what follows it in that file is never read.
   */
  void scan(long after, int stopBeforeCycle, RecordVisitor visitor) {
    NavigableSet<Integer> cycles = files.list().headSet(stopBeforeCycle, false)
        .tailSet(Math.max(1, CycleFiles.cycle(after)), true);
    byte[] buffer = new byte[8192];
    try (ExcerptTailer tailer = queue.createTailer()) {
      for (int cycle : cycles) {
        if (!tailer.moveToCycle(cycle)) {
          continue;
        }
        for (boolean more = true; more; ) {
          try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent() || ROLL_CYCLE.toCycle(dc.index()) != cycle) {
              dc.rollbackOnClose();
              more = false;
              continue;
            }
            Bytes<?> bytes = dc.wire().bytes();
            long position = CycleFiles.position(cycle, bytes.readPosition());
            if (position <= after) {
              continue;
            }
            int length = (int) bytes.readRemaining();
            if (length > buffer.length) {
              buffer = new byte[Math.max(length, buffer.length * 2)];
            }
            bytes.read(buffer, 0, length);
            visitor.visit(position, buffer, length);
          }
        }
      }
    }
  }

  /**
   * Starts appending, in a new file of a cycle at least {@code minCycle} (never after a torn
   * write); {@code recoveredUpTo} is the position of the newest record recovery saw.
   */
  void startWriting(int minCycle, long recoveredUpTo) {
    appendLock.lock();
    try {
      clock.cycle(Math.max(clock.cycle(), minCycle));
      lastAppended = recoveredUpTo;
      appender = queue.createAppender();
      // All appends hold appendLock, so one appender serves every thread in turn.
      appender.singleThreadedCheckDisabled(true);
    } finally {
      appendLock.unlock();
    }
  }

  /**
   * Appends one record and, still under the append lock, calls {@code indexUpdate} with its
   * position. Starts a new file first when the record would overflow the current one.
   *
   * @return the record's position
   */
  long append(byte[] record, LongConsumer indexUpdate) {
    if (record.length > maxRecordBytes) {
      throw new IllegalArgumentException("a record of " + record.length + " bytes exceeds the largest the log takes, "
          + maxRecordBytes + " bytes (a quarter of " + LogOptions.BLOCK_BYTES + ")");
    }
    appendLock.lock();
    try {
      if (closed || appender == null) {
        throw new IllegalStateException("the log is " + (closed ? "closed" : "not open for writing"));
      }
      if (writeOffset > 0 && writeOffset - dataStart + record.length > fileBytes) {
        roll();
      }
      if (writeOffset == 0) {
        checkRoomForANewFile(record.length);
      }
      long offset;
      BytesStore<?, ?> store;
      DocumentContext dc = appender.writingDocument();
      try {
        Bytes<?> bytes = dc.wire().bytes();
        offset = bytes.writePosition();
        checkReserved(appender.cycle(), offset, record.length);
        bytes.write(record);
        store = bytes.bytesStore();
      } catch (RuntimeException | Error e) {
        dc.rollbackOnClose();
        throw e;
      } finally {
        dc.close();
      }
      int cycle = ROLL_CYCLE.toCycle(appender.lastIndexAppended());
      long position = CycleFiles.position(cycle, offset);
      if (writeOffset == 0) {
        dataStart = offset;
        warmedUpTo = offset;
        releasedUpTo = offset;
        nextWarmCheck = 0;
      }
      writeOffset = offset + record.length;
      if (warm && writeOffset >= nextWarmCheck) {
        warmAhead(cycle, store);
      }
      lastAppended = position;
      indexUpdate.accept(position);
      return position;
    } finally {
      appendLock.unlock();
    }
  }

  /**
   * Refuses the append that would start a new file when the file system lacks the room for it:
   * Chronicle creates the file, its header and first index, with the append, before the record's
   * own blocks can be reserved ({@link #checkReserved}).
   */
  private void checkRoomForANewFile(int length) {
    long free = warmer.usableBytes();
    if (free < NEW_FILE_ROOM + length + APPEND_MARGIN) {
      throw storageFull(free);
    }
  }

  /**
   * Refuses an append of {@code length} bytes at {@code offset} of the file of {@code cycle} before
   * a byte of it is written, unless the disk blocks from there to {@link #APPEND_MARGIN} past its end
   * are reserved. Chronicle writes through a memory map of a sparse file, and a write to a page the
   * full file system cannot back faults the process (SIGBUS, which the JVM turns into an
   * {@link InternalError} that can leave the record half written); see {@link FileWarmer#reserved}.
   */
  private void checkReserved(int cycle, long offset, int length) {
    FileWarmer.Reserved reserved = warmer.reserved(cycle, offset, offset + length + APPEND_MARGIN);
    if (reserved == FileWarmer.Reserved.NO_SPACE) {
      throw storageFull(warmer.usableBytes());
    }
    if (!FileWarmer.writable(reserved)) {
      throw new RingkvException(ErrorCode.INTERNAL, "the disk blocks for a write to the log in " + files.directory()
          + " could not be reserved (an I/O error, or too many open files?): the write was refused and nothing was "
          + "stored");
    }
  }

  private RingkvException storageFull(long free) {
    return new RingkvException(ErrorCode.STORAGE_FULL, "no space left on the device of the log in "
        + files.directory() + " (" + (free == Long.MAX_VALUE ? "free space unknown" : Math.max(0, free) + " bytes free")
        + "): the write was refused and nothing was stored; reads go on, and writes resume once space is freed");
  }

  /** Runs {@code action} with no append in progress or starting. */
  void underAppendLock(Runnable action) {
    appendLock.lock();
    try {
      action.run();
    } finally {
      appendLock.unlock();
    }
  }

  /** Closes the current file (if it holds anything) and returns the cycle new appends go to. */
  int rollNow() {
    appendLock.lock();
    try {
      if (writeOffset > 0) {
        roll();
      }
      return clock.cycle();
    } finally {
      appendLock.unlock();
    }
  }

  /** The cycle appends go to now; every file of a lower cycle is closed. */
  int activeCycle() {
    return clock.cycle();
  }

  /** The position of the newest record appended by this process, 0 before the first. */
  long lastAppended() {
    return lastAppended;
  }

  /** Deletes the files of closed cycles and tells Chronicle its files changed. */
  void delete(Iterable<Integer> cycles) {
    try {
      for (int cycle : cycles) {
        if (cycle >= clock.cycle()) {
          throw new IllegalArgumentException("cycle " + cycle + " is still written to; only closed files may be deleted");
        }
        try {
          files.delete(cycle);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot delete the log file " + files.fileOf(cycle), e);
        }
      }
    } finally {
      queue.refreshDirectoryListing();
    }
  }

  /**
   * Has the next stretch of the current file warmed, as far as the file is sized and will be used;
   * {@code store} is the part of the file Chronicle's appender writes through (see {@link FileWarmer}).
   */
  private void warmAhead(int cycle, BytesStore<?, ?> store) {
    Path file = files.fileOf(cycle);
    long lastUsed = dataStart + fileBytes + maxRecordBytes;
    try {
      long end = Math.min(Files.size(file), lastUsed);
      long from = Math.max(warmedUpTo, writeOffset);
      long to = Math.min(end, from + 2 * WARM_CHUNK);
      long release = Math.max(releasedUpTo, writeOffset - RELEASE_MARGIN);
      if (to > from) {
        warmer.warm(cycle, from, to, store, releasedUpTo, release);
        warmedUpTo = to;
        releasedUpTo = release;
        nextWarmCheck = to - WARM_CHUNK;
      } else {
        // Warm up to the file's current size: look again once Chronicle may have grown it.
        nextWarmCheck = end >= lastUsed ? Long.MAX_VALUE : writeOffset + WARM_CHUNK / 4;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the size of the log file " + file, e);
    }
  }

  private void roll() {
    clock.cycle(clock.cycle() + 1);
    writeOffset = 0;
    dataStart = 0;
  }

  @Override
  public void close() {
    appendLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      warmer.close();
      if (appender != null) {
        appender.close();
      }
      queue.close();
      files.close();
    } finally {
      appendLock.unlock();
    }
  }
}
