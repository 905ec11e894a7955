package io.ringkv.storage.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import net.openhft.chronicle.core.io.IOTools;

/**
 * The log's files: one Chronicle Queue cycle file per log file ({@code FAST_DAILY} naming, where
 * the engine's logical cycle {@code c} is day {@code c} after 1970-01-01, so cycle 1 is
 * {@code 19700102F.cq4}). Records are read back through a read-only memory map per file, and a
 * channel per file forces ({@code fsync}) it. A position packs a cycle and a
 * payload offset in the file: {@code cycle << 32 | offset}; positions grow in log order.
 */
final class CycleFiles implements AutoCloseable {
  static final String SUFFIX = ".cq4";
  private static final DateTimeFormatter NAMES = DateTimeFormatter.ofPattern("yyyyMMdd'F'");

  private final Path directory;
  private final Map<Integer, Segment> segments = new ConcurrentHashMap<>();
  /** Files are deleted as a prefix of the log: no file below this cycle may be opened again. */
  private volatile int deletedBelow;

  CycleFiles(Path directory) {
    this.directory = directory;
  }

  static long position(int cycle, long offset) {
    if (cycle <= 0 || offset < 0 || offset > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("cycle " + cycle + " offset " + offset + " cannot form a log position");
    }
    return ((long) cycle << 32) | offset;
  }

  static int cycle(long position) {
    return (int) (position >>> 32);
  }

  static long offset(long position) {
    return position & 0xFFFF_FFFFL;
  }

  Path directory() {
    return directory;
  }

  Path fileOf(int cycle) {
    return directory.resolve(NAMES.format(LocalDate.ofEpochDay(cycle)) + SUFFIX);
  }

  /** The cycles that have a file, in order. */
  NavigableSet<Integer> list() {
    TreeSet<Integer> cycles = new TreeSet<>();
    try (Stream<Path> files = Files.list(directory)) {
      files.forEach(file -> {
        String name = file.getFileName().toString();
        if (name.endsWith(SUFFIX)) {
          try {
            cycles.add((int) LocalDate.parse(name.substring(0, name.length() - SUFFIX.length()), NAMES).toEpochDay());
          } catch (DateTimeParseException notALogFile) {
            // Not one of ours: left alone.
          }
        }
      });
    } catch (NoSuchFileException e) {
      return cycles;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the log files in " + directory, e);
    }
    return cycles;
  }

  /** Reads {@code size} bytes at a position; null when the file ends first (a torn record). */
  byte[] read(long position, int size) throws IOException {
    int cycle = cycle(position);
    long offset = offset(position);
    for (int attempt = 0; ; attempt++) {
      Segment segment = segment(cycle);
      try {
        return segment.read(offset, size);
      } catch (ClosedChannelException e) {
        segments.remove(cycle, segment);
        if (attempt >= 3) {
          throw e;
        }
      }
    }
  }

  /**
   * Reads one byte of every page of {@code [from, to)} through the file's map, so those pages are
   * in the page cache and mapped before anyone needs them (see {@link FileWarmer}).
   */
  void touch(int cycle, long from, long to) throws IOException {
    segment(cycle).touch(from, to);
  }

  /**
   * Deletes the files whose first header Chronicle never finished writing: the file being created
   * when the process died, in the middle of a roll. Such a file holds no record (records only follow
   * that header), and left in place, every reader of it would wait Chronicle's timeout for the
   * writer that is gone, and the next appender would wait again before moving it aside. Call only
   * before the queue is opened, with the folder locked, so that no writer of it can be alive.
   *
   * @return the cycles of the files deleted
   */
  NavigableSet<Integer> deleteUnstarted() throws IOException {
    NavigableSet<Integer> deleted = new TreeSet<>();
    ByteBuffer first = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    for (int cycle : list()) {
      Path file = fileOf(cycle);
      first.clear();
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        while (first.hasRemaining() && channel.read(first, first.position()) > 0) {
          // read until 4 bytes or the end of the file
        }
      }
      int header = first.hasRemaining() ? 0 : first.getInt(0);
      // Chronicle's header word: zero before it is claimed, the top bit set while it is written.
      if (header == 0 || (header & 0x8000_0000) != 0) {
        Files.delete(file);
        deleted.add(cycle);
      }
    }
    if (!deleted.isEmpty()) {
      forceDirectory();
    }
    return deleted;
  }

  /** Forces the file of {@code cycle} to disk (its data; Chronicle pre-sizes the files). */
  void force(int cycle) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Segment segment = segment(cycle);
      try {
        segment.force();
        return;
      } catch (ClosedChannelException e) {
        segments.remove(cycle, segment);
        if (attempt >= 3) {
          throw e;
        }
      }
    }
  }

  /** Forces the folder itself, so files created in it survive a power loss. */
  void forceDirectory() throws IOException {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  /**
   * Unmaps and closes the file, then deletes it. The caller guarantees that nobody reads it any
   * more (no index entry points into it and no partition walk is running).
   */
  void delete(int cycle) throws IOException {
    synchronized (segments) {
      deletedBelow = Math.max(deletedBelow, cycle + 1);
    }
    Segment segment = segments.remove(cycle);
    if (segment != null) {
      segment.close();
    }
    Files.deleteIfExists(fileOf(cycle));
  }

  /** Bytes the files take as the file system reports their lengths (Chronicle files are sparse). */
  long fileBytes() {
    long total = 0;
    for (int cycle : list()) {
      try {
        total += Files.size(fileOf(cycle));
      } catch (IOException gone) {
        // Deleted by a compaction meanwhile.
      }
    }
    return total;
  }

  private Segment segment(int cycle) throws IOException {
    Segment segment = segments.get(cycle);
    if (segment != null) {
      return segment;
    }
    synchronized (segments) {
      segment = segments.get(cycle);
      if (segment == null) {
        if (cycle < deletedBelow) {
          throw new NoSuchFileException(fileOf(cycle).toString(), null, "compacted away");
        }
        segment = new Segment(FileChannel.open(fileOf(cycle), StandardOpenOption.READ));
        segments.put(cycle, segment);
      }
      return segment;
    }
  }

  @Override
  public void close() {
    synchronized (segments) {
      for (Segment segment : segments.values()) {
        segment.close();
      }
      segments.clear();
    }
  }

  /**
   * One log file opened for reading: a read-only memory map of it (remapped when a read goes past
   * it, as Chronicle grows the file), so a read is a copy from the page cache rather than a system
   * call, and a channel for {@code fsync}. The lock keeps the map from being unmapped under a read.
   */
  private static final class Segment {
    private final FileChannel channel;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private MappedByteBuffer map;
    private long mapped;
    private boolean closed;

    Segment(FileChannel channel) {
      this.channel = channel;
    }

    byte[] read(long offset, int size) throws IOException {
      long end = offset + size;
      byte[] out = new byte[size];
      lock.readLock().lock();
      try {
        if (closed) {
          throw new ClosedChannelException();
        }
        if (end <= mapped) {
          map.get((int) offset, out, 0, size);
          return out;
        }
      } finally {
        lock.readLock().unlock();
      }
      lock.writeLock().lock();
      try {
        if (closed) {
          throw new ClosedChannelException();
        }
        if (end > mapped) {
          long length = Math.min(channel.size(), Integer.MAX_VALUE);
          if (end > length) {
            return end > channel.size() ? null : readDirect(offset, out);
          }
          MappedByteBuffer old = map;
          map = channel.map(FileChannel.MapMode.READ_ONLY, 0, length);
          mapped = length;
          if (old != null) {
            IOTools.clean(old);
          }
        }
        map.get((int) offset, out, 0, size);
        return out;
      } finally {
        lock.writeLock().unlock();
      }
    }

    void touch(long from, long to) throws IOException {
      long end = Math.min(to, Math.min(channel.size(), Integer.MAX_VALUE));
      if (end <= from) {
        return;
      }
      if (end > mapped) {
        read(end - 1, 1); // maps the file as far as it goes
      }
      int sink = 0;
      for (long page = from & ~4095L; page < end; page += 4096) {
        lock.readLock().lock();
        try {
          if (closed || page >= mapped) {
            return;
          }
          sink += map.get((int) page);
        } finally {
          lock.readLock().unlock();
        }
      }
      if (sink == Integer.MIN_VALUE) {
        throw new IllegalStateException("unreachable: keeps the page reads from being optimised away");
      }
    }

    /** A positional read, for the part of a file beyond what one map can cover. */
    private byte[] readDirect(long offset, byte[] out) throws IOException {
      ByteBuffer buffer = ByteBuffer.wrap(out);
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, offset + buffer.position()) < 0) {
          return null;
        }
      }
      return out;
    }

    void force() throws IOException {
      boolean interrupted = Thread.interrupted(); // an interrupt would close the channel
      try {
        channel.force(false);
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }

    void close() {
      lock.writeLock().lock();
      try {
        if (closed) {
          return;
        }
        closed = true;
        if (map != null) {
          IOTools.clean(map);
          map = null;
          mapped = 0;
        }
        try {
          channel.close();
        } catch (IOException ignored) {
          // A read-only channel: nothing is lost.
        }
      } finally {
        lock.writeLock().unlock();
      }
    }
  }
}
