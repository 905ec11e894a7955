package io.ringkv.storage.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The index and the per-file byte counts behind one read-write lock. Lookups (which read the
 * candidate records to confirm the key) hold the read lock; updates, always made under the log's
 * append lock right after the append, hold the write lock for a few array stores. A key's
 * position cannot change while a lookup holds the read lock, and a compaction deletes a file only
 * after every key was moved out of it, so a record found under the read lock is always readable.
 */
final class KeyTable {
  /**
   * A key's newest record, read while looking it up: {@code record} holds the whole record, or
   * only its first bytes when a prefix was asked for ({@link #complete()} tells).
   */
  record Found(long position, int size, byte[] record) {
    boolean complete() {
      return record.length == size;
    }
  }

  /** What a snapshot needs, copied under the append lock. */
  record Capture(KeyIndex index, Map<Integer, Long> totals) {
  }

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final KeyIndex index;
  private final CycleStats stats;
  private final CycleFiles files;

  KeyTable(KeyIndex index, CycleStats stats, CycleFiles files) {
    this.index = index;
    this.stats = stats;
    this.files = files;
  }

  /** The key's newest record, or null when the key is absent. */
  Found lookup(byte[] keyBytes, int fingerprint) {
    return lookup(keyBytes, fingerprint, Integer.MAX_VALUE);
  }

  /**
   * The key's newest record, or null when the key is absent; of a longer record only the first
   * {@code prefixBytes} bytes are read (at least enough to hold the key). The caller reads the
   * rest with {@link #complete} and must keep the record where it is meanwhile (hold its key's lock).
   */
  Found lookup(byte[] keyBytes, int fingerprint, int prefixBytes) {
    int prefix = Math.max(prefixBytes, RecordCodec.KEY_OFFSET + keyBytes.length);
    Found[] found = new Found[1];
    lock.readLock().lock();
    try {
      index.find(fingerprint, (position, size) -> {
        byte[] record = read(position, Math.min(size, prefix));
        if (record != null && RecordCodec.hasKey(record, record.length, keyBytes)) {
          found[0] = new Found(position, size, record);
          return true;
        }
        return false;
      });
      return found[0];
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The whole of a record found by a prefix lookup; {@code found} itself when its file ends first. */
  Found complete(Found found) {
    if (found.complete()) {
      return found;
    }
    byte[] record = read(found.position(), found.size());
    return record == null ? found : new Found(found.position(), found.size(), record);
  }

  /** Points the key at its new record ({@code previous} null for a new key). */
  void put(int fingerprint, Found previous, long position, int size, int partition) {
    lock.writeLock().lock();
    try {
      stats.appended(CycleFiles.cycle(position), size, true);
      if (previous == null) {
        index.insert(fingerprint, position, size, partition);
      } else {
        index.update(slotOf(fingerprint, previous.position()), position, size);
        stats.superseded(CycleFiles.cycle(previous.position()), previous.size());
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Drops the key, whose removal record was appended at {@code position}. */
  void remove(int fingerprint, Found previous, long position, int size) {
    lock.writeLock().lock();
    try {
      stats.appended(CycleFiles.cycle(position), size, false);
      index.remove(slotOf(fingerprint, previous.position()));
      stats.superseded(CycleFiles.cycle(previous.position()), previous.size());
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** A compaction copied the record at {@code from} to {@code to}. */
  void move(int fingerprint, long from, long to, int size) {
    lock.writeLock().lock();
    try {
      index.update(slotOf(fingerprint, from), to, size);
      stats.appended(CycleFiles.cycle(to), size, true);
      stats.superseded(CycleFiles.cycle(from), size);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** True when the index points some key at exactly this record. */
  boolean isLive(int fingerprint, long position) {
    lock.readLock().lock();
    try {
      return index.findPosition(fingerprint, position) >= 0;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Forgets the key whose record at {@code position} turned out unreadable; true if one was. */
  boolean dropUnreadable(int fingerprint, long position, int size) {
    lock.writeLock().lock();
    try {
      int slot = index.findPosition(fingerprint, position);
      if (slot < 0) {
        return false;
      }
      index.remove(slot);
      stats.superseded(CycleFiles.cycle(position), size);
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Positions and sizes, pairwise, of one partition's records. */
  long[] entriesOf(int partition) {
    lock.readLock().lock();
    try {
      return index.entriesOf(partition);
    } finally {
      lock.readLock().unlock();
    }
  }

  int size() {
    lock.readLock().lock();
    try {
      return index.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  long memoryBytes() {
    lock.readLock().lock();
    try {
      return index.memoryBytes();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** {@code [total, live]} bytes of the files below {@code cycle}, or of all when MAX_VALUE. */
  long[] bytesBelow(int cycle) {
    lock.readLock().lock();
    try {
      return stats.below(cycle);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The entries pointing into files below {@code cycle}: {fingerprint, position, size} packed in threes. */
  long[] entriesBelow(int cycle) {
    long[][] out = {new long[3 * 64]};
    int[] n = {0};
    lock.readLock().lock();
    try {
      index.forEach((fingerprint, position, size, partition) -> {
        if (CycleFiles.cycle(position) < cycle) {
          if (n[0] + 3 > out[0].length) {
            out[0] = Arrays.copyOf(out[0], out[0].length * 2);
          }
          out[0][n[0]++] = fingerprint;
          out[0][n[0]++] = position;
          out[0][n[0]++] = size;
        }
      });
    } finally {
      lock.readLock().unlock();
    }
    return Arrays.copyOf(out[0], n[0]);
  }

  /** {@code [cycle, total, live]} bytes of each file below {@code cycle}, in log order. */
  List<long[]> bytesPerFileBelow(int cycle) {
    lock.readLock().lock();
    try {
      return stats.each(cycle);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** True when some key still points into a file below {@code cycle}. */
  boolean pointsBelow(int cycle) {
    boolean[] found = {false};
    lock.readLock().lock();
    try {
      index.forEach((fingerprint, position, size, partition) -> found[0] |= CycleFiles.cycle(position) < cycle);
      return found[0];
    } finally {
      lock.readLock().unlock();
    }
  }

  void forget(int cycle) {
    lock.writeLock().lock();
    try {
      stats.forget(cycle);
    } finally {
      lock.writeLock().unlock();
    }
  }

  Capture capture() {
    lock.readLock().lock();
    try {
      return new Capture(index.copy(), stats.totals());
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Every entry as position to partition, for tests comparing two recoveries. */
  SortedMap<Long, Integer> positions() {
    TreeMap<Long, Integer> out = new TreeMap<>();
    lock.readLock().lock();
    try {
      index.forEach((fingerprint, position, size, partition) -> out.put(position, partition));
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  private int slotOf(int fingerprint, long position) {
    int slot = index.findPosition(fingerprint, position);
    if (slot < 0) {
      throw new IllegalStateException("the index lost the entry at " + Recovery.describe(position)
          + " while its key was locked");
    }
    return slot;
  }

  private byte[] read(long position, int size) {
    try {
      return files.read(position, size);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the record at " + Recovery.describe(position), e);
    }
  }
}
