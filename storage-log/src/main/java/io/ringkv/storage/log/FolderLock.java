package io.ringkv.storage.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on the engine's folder ({@code LOCK}), held while the engine is open: two
 * engines over one log would each index only their own appends. The OS drops it when the process
 * dies, so a crash never leaves the folder locked. The hint store locks its own folder the same way.
 */
final class FolderLock implements AutoCloseable {
  static final String FILE = "LOCK";

  private final FileChannel channel;
  private final FileLock lock;

  private FolderLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static FolderLock acquire(Path directory) {
    return acquire(directory, "engine");
  }

  /** {@code what} names the owner in the message when the folder is taken ("engine", "hint store"). */
  static FolderLock acquire(Path directory, String what) {
    Path file = directory.resolve(FILE);
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new IllegalStateException(inUse(directory, what));
      }
      return new FolderLock(channel, lock);
    } catch (OverlappingFileLockException e) {
      close(channel);
      throw new IllegalStateException(inUse(directory, what), e);
    } catch (IOException e) {
      close(channel);
      throw new UncheckedIOException("cannot lock the storage folder " + directory, e);
    } catch (RuntimeException e) {
      close(channel);
      throw e;
    }
  }

  private static String inUse(Path directory, String what) {
    return "the storage folder " + directory + " is in use by another open " + what + " (" + FILE
        + " is locked); one folder takes one " + what;
  }

  private static void close(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // Nothing was locked through it.
      }
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException ignored) {
      // Closing the channel releases it as well.
    }
    close(channel);
  }
}
