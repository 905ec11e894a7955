package io.ringkv.storage.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bitcask's merge: closes the current file, copies every live record of the older files forward
 * (re-appends it, under its key's lock, so reads and writes carry on; the index lists the live
 * records, so dead ones are never even read), forces the copies to disk, then deletes the old
 * files. Removal records and superseded records are simply not copied: the
 * files are deleted as a prefix of the log, so nothing older than a dropped removal record
 * survives to be resurrected by a full-scan recovery.
 */
final class Compactor {
  private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);
  /** Records copied per hold of the append lock. */
  private static final int BATCH = 32;

  private final ChronicleLog log;
  private final KeyTable table;
  private final Durability durability;
  private final ReentrantLock[] stripes;
  private final ReadWriteLock walks;
  private final BooleanSupplier closing;
  private final double threshold;
  private final long minBytes;
  private long compactions;

  Compactor(ChronicleLog log, KeyTable table, Durability durability, ReentrantLock[] stripes, ReadWriteLock walks,
      BooleanSupplier closing, LogOptions options) {
    this.log = log;
    this.table = table;
    this.durability = durability;
    this.stripes = stripes;
    this.walks = walks;
    this.closing = closing;
    this.threshold = options.compactionThreshold();
    this.minBytes = options.compactionMinBytes();
  }

  /** True when the closed files hold enough dead bytes to be worth compacting. */
  boolean due() {
    long[] closed = table.bytesBelow(log.activeCycle());
    long total = closed[0];
    long dead = total - closed[1];
    return total > 0 && total >= minBytes && dead >= threshold * total;
  }

  long compactions() {
    return compactions;
  }

  /**
   * Compacts the run of oldest closed files whose dead share is the highest (ties: the longer
   * run), so the least live data is copied per byte freed. Files go as a prefix of the log, which
   * keeps dropped removal records safe (see the class comment). Returns false when nothing was
   * compacted (no closed file, or the engine closing).
   */
  boolean compactBest() {
    List<long[]> files = table.bytesPerFileBelow(log.activeCycle());
    long total = 0;
    long live = 0;
    double bestShare = -1;
    int end = -1;
    for (long[] file : files) {
      total += file[1];
      live += file[2];
      double share = total == 0 ? 0 : (double) (total - live) / total;
      if (share >= bestShare) {
        bestShare = share;
        end = (int) file[0];
      }
    }
    return end >= 0 && compactBelow(end + 1);
  }

  /** Compacts every closed file (tests, benchmarks); false when there was none. */
  boolean compactAll() {
    return compactBelow(log.rollNow());
  }

  private boolean compactBelow(int start) {
    long started = System.nanoTime();
    NavigableSet<Integer> victims = log.files().list().headSet(start, false);
    if (victims.isEmpty()) {
      return false;
    }
    long[] before = table.bytesBelow(start);
    long copied = 0;
    // The index knows every live record of the old files: copy those, never read the dead ones.
    // Batches share one turn of the append lock, so writers wait for it once per batch rather than
    // taking turns with the compaction record by record.
    long[] entries = table.entriesBelow(start);
    List<Integer> deferred = new ArrayList<>();
    for (int i = 0; i < entries.length; i += 3 * BATCH) {
      if (cancelled()) {
        return false;
      }
      copied += copyBatch(entries, i, Math.min(entries.length, i + 3 * BATCH), deferred);
    }
    // Records whose key a writer held during their batch: one at a time, waiting for the key.
    for (int i : deferred) {
      if (cancelled()) {
        return false;
      }
      copied += copyIfLive((int) entries[i], entries[i + 1], (int) entries[i + 2]);
    }
    long scanned = System.nanoTime();
    durability.forceUpTo(log.lastAppended());
    long forced = System.nanoTime();
    if (!retire(victims, start)) {
      return false;
    }
    compactions++;
    long now = System.nanoTime();
    LOG.info("compacted {} log files ({} bytes, {} live): {} bytes copied forward, in {} ms (copy {} ms, fsync {} ms, "
        + "delete {} ms)", victims.size(), before[0], before[1], copied, millis(now - started),
        millis(scanned - started), millis(forced - scanned), millis(now - forced));
    return true;
  }

  private boolean cancelled() {
    if (closing.getAsBoolean()) {
      LOG.info("compaction cancelled: the engine is closing");
      return true;
    }
    return false;
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  /**
   * Copies the entries {@code [from, to)} (in threes) under one hold of the append lock. A key is
   * only tried, never waited for: a writer holding it may be waiting for the append lock, so
   * those entries go to {@code deferred} (their index in {@code entries}).
   */
  private long copyBatch(long[] entries, int from, int to, List<Integer> deferred) {
    // Read and check the records first, outside the lock (only the compaction deletes files, so
    // they stay readable); a record overwritten meanwhile is simply not copied below.
    int n = (to - from) / 3;
    byte[][] records = new byte[n][];
    for (int k = 0; k < n; k++) {
      int i = from + 3 * k;
      if (table.isLive((int) entries[i], entries[i + 1])) {
        records[k] = readChecked((int) entries[i], entries[i + 1], (int) entries[i + 2]);
      }
    }
    long[] copied = {0};
    log.underAppendLock(() -> {
      for (int k = 0; k < n; k++) {
        if (records[k] == null) {
          continue;
        }
        int i = from + 3 * k;
        int fingerprint = (int) entries[i];
        long position = entries[i + 1];
        ReentrantLock stripe = stripeOf(fingerprint);
        if (!stripe.tryLock()) {
          deferred.add(i);
          continue;
        }
        try {
          if (table.isLive(fingerprint, position)) {
            byte[] record = records[k];
            log.append(record, at -> table.move(fingerprint, position, at, record.length));
            copied[0] += record.length;
          }
        } finally {
          stripe.unlock();
        }
      }
    });
    return copied[0];
  }

  /** The record at {@code position}, checked; null (and its key dropped) when it is unreadable. */
  private byte[] readChecked(int fingerprint, long position, int size) {
    try {
      byte[] record = log.files().read(position, size);
      String problem = record == null ? "it lies past the end of its file" : null;
      if (record != null) {
        try {
          RecordCodec.verify(record, size);
        } catch (CorruptRecordException e) {
          problem = e.getMessage();
        }
      }
      if (problem != null) {
        ReentrantLock stripe = stripeOf(fingerprint);
        stripe.lock(); // a writer may be merging into this very record
        try {
          if (table.dropUnreadable(fingerprint, position, size)) {
            LOG.error("the live record at {} is unreadable ({}); its key is dropped from this replica",
                Recovery.describe(position), problem);
          }
        } finally {
          stripe.unlock();
        }
        return null;
      }
      return record;
    } catch (IOException e) {
      throw new UncheckedIOException("compaction cannot read the record at " + Recovery.describe(position), e);
    }
  }

  /** Re-appends the record at {@code position} if its key still points at it, waiting for the key; returns the bytes copied. */
  private long copyIfLive(int fingerprint, long position, int size) {
    ReentrantLock stripe = stripeOf(fingerprint);
    stripe.lock();
    try {
      if (!table.isLive(fingerprint, position)) {
        return 0; // overwritten or removed since the entries were listed
      }
      byte[] record = readChecked(fingerprint, position, size);
      if (record == null) {
        return 0;
      }
      log.append(record, to -> table.move(fingerprint, position, to, size));
      return size;
    } finally {
      stripe.unlock();
    }
  }

  private ReentrantLock stripeOf(int fingerprint) {
    return stripes[fingerprint & (stripes.length - 1)];
  }

  /** Deletes the files once no partition walk is reading from them. */
  private boolean retire(NavigableSet<Integer> victims, int start) {
    while (true) {
      try {
        if (walks.writeLock().tryLock(100, TimeUnit.MILLISECONDS)) {
          break;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      if (closing.getAsBoolean()) {
        return false;
      }
    }
    try {
      if (table.pointsBelow(start)) {
        LOG.error("compaction left keys in the files it was to delete; the files are kept");
        return false;
      }
      log.delete(victims);
      victims.forEach(table::forget);
      return true;
    } finally {
      walks.writeLock().unlock();
    }
  }
}
