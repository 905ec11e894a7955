package io.ringkv.storage.log;

import io.ringkv.api.NodeId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * The hint store's small files and names. Each target has a folder named after its node id
 * sanitized as the server names node folders, with {@code ~2}, {@code ~3}... appended when that
 * name is taken by another id (two ids that sanitize alike) or is one the store uses itself
 * ({@code LOCK}, {@code .}, {@code ..}); the real id is in the folder's {@code target} file, so
 * names never decide which target a folder holds; it is written once, atomically (to a temporary
 * file, forced, renamed, the folder forced), after the watermark and before any queue file, so a
 * folder without it holds nothing. The folder's {@code released} file is the target's watermark:
 * two slots, each {@code format:u8 (=1) upTo:u64be crc32c:u32be} (the CRC32C over the 9 bytes
 * before it). A new watermark overwrites, in place, the slot that does not hold the current one,
 * and the higher sound slot counts: a write a crash tears leaves the previous value in the other.
 */
final class HintFiles {
  static final String TARGET = "target";
  static final String RELEASED = "released";
  /** The Chronicle queue's own folder inside a target's folder. */
  static final String QUEUE = "queue";
  private static final String TEMPORARY = ".tmp";
  private static final int WATERMARK_FORMAT = 1;
  private static final int SLOT_BYTES = 1 + 8 + 4;

  private HintFiles() {
  }

  /** The folder name of {@code id} as the server sanitizes node ids. */
  static String sanitize(NodeId id) {
    return id.value().replaceAll("[^A-Za-z0-9._\\-]", "_");
  }

  /** The {@code attempt}-th (from 1) folder name to try for {@code id}. */
  static String folderName(NodeId id, int attempt) {
    return attempt == 1 ? sanitize(id) : sanitize(id) + "~" + attempt;
  }

  /** Names a target folder may not take: the store's lock file, and the names that are not folders of their own. */
  static boolean reserved(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.equals(FolderLock.FILE.toLowerCase(Locale.ROOT)) || name.equals(".") || name.equals("..");
  }

  /** The id in {@code folder}'s target file; null when there is none (a folder whose creation a crash cut short). */
  static NodeId readTarget(Path folder) throws IOException {
    try {
      String text = Files.readString(folder.resolve(TARGET), StandardCharsets.UTF_8).strip();
      return NodeId.of(text);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IllegalArgumentException e) {
      throw new IOException("the " + TARGET + " file of " + folder + " does not hold a node id: " + e.getMessage(), e);
    }
  }

  /** Creates {@code folder} for {@code id}: the folder, its target file and its watermark (0), all forced. */
  static void createTargetFolder(Path folder, NodeId id) {
    try {
      Files.createDirectory(folder);
      writeReleased(folder, 0, true);
      writeAtomically(folder.resolve(TARGET), (id.value() + "\n").getBytes(StandardCharsets.UTF_8), true);
      forceDirectory(folder.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the hint folder " + folder + " of " + id, e);
    }
  }

  /**
   * The watermark in {@code folder}: every hint up to it is released. 0 when there is none;
   * {@code -1} when neither slot of the file is sound (the caller replays every hint the queue holds).
   */
  static long readReleased(Path folder) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(folder.resolve(RELEASED));
    } catch (NoSuchFileException e) {
      return 0;
    }
    long upTo = -1;
    for (int slot = 0; slot < 2; slot++) {
      upTo = Math.max(upTo, slot(bytes, slot));
    }
    return upTo;
  }

  /** The watermark in {@code slot} of the file's bytes; -1 when that slot is missing or unsound. */
  private static long slot(byte[] file, int slot) {
    int at = slot * SLOT_BYTES;
    if (file.length < at + SLOT_BYTES || file[at] != WATERMARK_FORMAT) {
      return -1;
    }
    ByteBuffer buffer = ByteBuffer.wrap(file, at, SLOT_BYTES);
    long upTo = buffer.getLong(at + 1);
    CRC32C crc = new CRC32C();
    crc.update(file, at, 9);
    return buffer.getInt(at + 9) == (int) crc.getValue() && upTo >= 0 ? upTo : -1;
  }

  /**
   * Replaces the watermark in {@code folder} (which must only grow): writes it over the slot that
   * does not hold the current one, in place, so that a crash in the middle leaves the other slot
   * sound, and no disk block is needed once the file exists (a full disk cannot stop a release).
   * {@code force}: fsync it before returning.
   */
  static void writeReleased(Path folder, long upTo, boolean force) throws IOException {
    Path file = folder.resolve(RELEASED);
    byte[] current = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
    int target = slot(current, 0) > slot(current, 1) ? 1 : 0;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      if (current.length < 2 * SLOT_BYTES) {
        // A new file: both slots, so that neither is ever missing.
        writeFully(channel, ByteBuffer.allocate(2 * SLOT_BYTES).put(slotBytes(upTo)).put(slotBytes(upTo)).flip(), 0);
      } else {
        writeFully(channel, ByteBuffer.wrap(slotBytes(upTo)), (long) target * SLOT_BYTES);
      }
      if (force) {
        channel.force(false);
      }
    }
  }

  private static byte[] slotBytes(long upTo) {
    ByteBuffer buffer = ByteBuffer.allocate(SLOT_BYTES);
    buffer.put((byte) WATERMARK_FORMAT).putLong(upTo);
    CRC32C crc = new CRC32C();
    crc.update(buffer.array(), 0, 9);
    return buffer.putInt((int) crc.getValue()).array();
  }

  /** Forces {@code folder}'s watermark to disk, as last written. */
  static void forceReleased(Path folder) throws IOException {
    Path file = folder.resolve(RELEASED);
    if (Files.exists(file)) {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.force(false);
      }
    }
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    while (buffer.hasRemaining()) {
      position += channel.write(buffer, position);
    }
  }

  private static void writeAtomically(Path file, byte[] content, boolean force) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + TEMPORARY);
    try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      if (force) {
        channel.force(true);
      }
    }
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    if (force) {
      forceDirectory(file.getParent());
    }
  }

  static void forceDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /** Deletes {@code directory} and everything in it (Chronicle's queue folders hold files only). */
  static void deleteTree(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return;
    }
    try (var entries = Files.list(directory)) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        if (Files.isDirectory(entry)) {
          deleteTree(entry);
        } else {
          Files.deleteIfExists(entry);
        }
      }
    }
    Files.deleteIfExists(directory);
  }
}
