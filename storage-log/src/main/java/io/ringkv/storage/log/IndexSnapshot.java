package io.ringkv.storage.log;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The index snapshot (Bitcask's hint file): every index entry as of a cut position, so start-up
 * loads it and replays only the records after the cut. Written to a temporary file, forced, then
 * renamed over the previous one, so a crash leaves either the old or the new snapshot.
 * <pre>
 * "RKVHINT1"  version:i32 (=1)  cut:i64  cycles:i32 { cycle:i32 totalBytes:i64 }
 * entries:i32 { fingerprint:i32 position:i64 size:i32 partition:i32 }  crc32c-of-all-before:i32
 * </pre>
 */
final class IndexSnapshot {
  static final String FILE = "index.snapshot";
  private static final long MAGIC = 0x524B5648494E5431L; // "RKVHINT1"
  private static final int VERSION = 1;

  /** A loaded snapshot. */
  record Image(long cut, KeyIndex index, Map<Integer, Long> totals) {
  }

  private IndexSnapshot() {
  }

  static void write(Path directory, long cut, KeyIndex index, Map<Integer, Long> totals) throws IOException {
    Path temporary = directory.resolve(FILE + ".tmp");
    try {
      writeVia(temporary, directory, cut, index, totals);
    } catch (IOException | RuntimeException e) {
      // A half-written snapshot (the disk filled up, say) is of no use and takes space the log may need.
      try {
        Files.deleteIfExists(temporary);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  private static void writeVia(Path temporary, Path directory, long cut, KeyIndex index, Map<Integer, Long> totals)
      throws IOException {
    Path target = directory.resolve(FILE);
    try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      CRC32C crc = new CRC32C();
      OutputStream raw = Channels.newOutputStream(channel);
      DataOutputStream out = new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(raw, 1 << 16), crc));
      out.writeLong(MAGIC);
      out.writeInt(VERSION);
      out.writeLong(cut);
      out.writeInt(totals.size());
      for (Map.Entry<Integer, Long> e : totals.entrySet()) {
        out.writeInt(e.getKey());
        out.writeLong(e.getValue());
      }
      out.writeInt(index.size());
      IOException[] failure = new IOException[1];
      index.forEach((fingerprint, position, size, partition) -> {
        if (failure[0] == null) {
          try {
            out.writeInt(fingerprint);
            out.writeLong(position);
            out.writeInt(size);
            out.writeInt(partition);
          } catch (IOException e) {
            failure[0] = e;
          }
        }
      });
      if (failure[0] != null) {
        throw failure[0];
      }
      out.flush();
      int checksum = (int) crc.getValue();
      new DataOutputStream(raw).writeInt(checksum);
      channel.force(true);
    }
    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  /** The snapshot in {@code directory}, or null when there is none. */
  static Image read(Path directory) throws IOException {
    Path file = directory.resolve(FILE);
    InputStream raw;
    try {
      raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    } catch (NoSuchFileException e) {
      return null;
    }
    try (raw) {
      CRC32C crc = new CRC32C();
      DataInputStream in = new DataInputStream(new CheckedInputStream(raw, crc));
      if (in.readLong() != MAGIC) {
        throw new IOException(file + " is not an index snapshot (bad magic)");
      }
      int version = in.readInt();
      if (version != VERSION) {
        throw new IOException(file + " has snapshot version " + version + "; this build reads " + VERSION);
      }
      long cut = in.readLong();
      int cycles = nonNegative(in.readInt(), "cycle count", file);
      TreeMap<Integer, Long> totals = new TreeMap<>();
      for (int i = 0; i < cycles; i++) {
        totals.put(in.readInt(), in.readLong());
      }
      int entries = nonNegative(in.readInt(), "entry count", file);
      KeyIndex index = new KeyIndex(entries);
      for (int i = 0; i < entries; i++) {
        int fingerprint = in.readInt();
        long position = in.readLong();
        int size = in.readInt();
        int partition = in.readInt();
        if (position == KeyIndex.EMPTY || size <= 0 || partition < 0) {
          throw new IOException(file + " entry " + i + " is invalid");
        }
        index.insert(fingerprint, position, size, partition);
      }
      int expected = (int) crc.getValue();
      int stored = new DataInputStream(raw).readInt();
      if (stored != expected) {
        throw new IOException(file + " failed its checksum");
      }
      return new Image(cut, index, totals);
    } catch (EOFException e) {
      throw new IOException(file + " ends early", e);
    }
  }

  static void delete(Path directory) throws IOException {
    Files.deleteIfExists(directory.resolve(FILE));
  }

  private static int nonNegative(int n, String what, Path file) throws IOException {
    if (n < 0) {
      throw new IOException(file + " has a negative " + what);
    }
    return n;
  }
}
