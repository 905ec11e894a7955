package io.ringkv.storage.log;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import io.ringkv.api.Siblings;
import io.ringkv.storage.spi.Hint;
import io.ringkv.storage.spi.HintBacklog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One target's hints: a {@link ChronicleLog} of {@link HintCodec} records in the target folder's
 * {@code queue/} (opened at the first append, and closed and deleted once the backlog has been empty
 * and idle for a while), its watermark ({@link HintFiles}), and the in-memory index of the pending
 * hints ({@link PendingHints}). One lock guards it all; an append waits for its durability (the
 * group commit, or its own fsync) after letting go of it, so concurrent appends share fsyncs.
 * Closed files whose hints are all released are deleted as soon as a release covers them.
 */
final class HintQueue {
  private static final Logger LOG = LoggerFactory.getLogger(HintQueue.class);
  /** Free space needed to open a queue: Chronicle's metadata file, the first file's header and index, the record. */
  static final long OPEN_ROOM = 8L << 20;

  private final NodeId target;
  private final Path folder;
  private final Path queueDirectory;
  private final LogOptions options;
  private final FileWarmer.Disk disk;
  /** Runs a task once the queue has been idle a while (on the store's timer). */
  private final Consumer<Runnable> afterIdle;
  private final ReentrantLock lock = new ReentrantLock();
  private final PendingHints pending = new PendingHints();
  /** The last sequence in each file of the open queue, by cycle. */
  private final TreeMap<Integer, Long> lastSequenceOf = new TreeMap<>();
  /** Appends between their record going in and their durability wait ending: the queue stays open meanwhile. */
  private final AtomicInteger awaiting = new AtomicInteger();
  private ChronicleLog log;
  private Durability durability;
  private long nextSequence = 1;
  private long released;
  private boolean releasedForced;
  private long appends;
  /** A drained queue was not deleted because appends were still waiting on their fsync. */
  private volatile boolean resetDeferred;
  private boolean closed;

  private HintQueue(Path folder, NodeId target, LogOptions options, FileWarmer.Disk disk,
      Consumer<Runnable> afterIdle) {
    this.target = target;
    this.folder = folder;
    this.queueDirectory = folder.resolve(HintFiles.QUEUE);
    this.options = options;
    this.disk = disk;
    this.afterIdle = afterIdle;
  }

  /** A new target's queue, in its new (empty) folder. */
  static HintQueue create(Path folder, NodeId target, LogOptions options, FileWarmer.Disk disk,
      Consumer<Runnable> afterIdle) {
    return new HintQueue(folder, target, options, disk, afterIdle);
  }

  /** The queue of {@code folder}, rebuilt from its watermark and its records (see {@link HintRecovery}). */
  static HintQueue recover(Path folder, NodeId target, LogOptions options, FileWarmer.Disk disk,
      Consumer<Runnable> afterIdle, HintRecovery.Totals totals) throws IOException {
    HintQueue queue = new HintQueue(folder, target, options, disk, afterIdle);
    HintRecovery.Result result = HintRecovery.run(folder, target, options, disk, queue.pending, totals);
    queue.released = result.released();
    queue.nextSequence = Math.max(result.released(), result.lastSequence()) + 1;
    if (result.log() == null) {
      return queue;
    }
    queue.log = result.log();
    queue.lastSequenceOf.putAll(result.lastSequenceOf());
    try {
      if (queue.pending.isEmpty()) {
        // Everything it holds is released: the watermark, forced, covers it all, and the files go.
        queue.released = queue.nextSequence - 1;
        HintFiles.writeReleased(folder, queue.released, true);
        queue.releasedForced = true;
        queue.deleteQueue();
        return queue;
      }
      queue.log.startWriting(queue.log.activeCycle(), result.lastPosition());
      queue.durability = Durability.of(options.sync(), queue.log.files(), queue.log, options.batchIntervalMillis());
      queue.deleteReleasedFiles();
      return queue;
    } catch (IOException | RuntimeException | Error e) {
      queue.close();
      throw e;
    }
  }

  /**
   * Appends a hint record ({@link HintCodec#encode}, sealed here with the next sequence) and
   * returns once it is as durable as the sync mode promises.
   *
   * @return the hint's sequence
   */
  long append(byte[] record, PendingHints.KeyBytes key, long createdMillis) {
    long sequence;
    long position;
    Durability waitFor;
    lock.lock();
    try {
      checkOpen();
      if (log == null) {
        openQueue(record.length);
      }
      sequence = nextSequence;
      HintCodec.seal(record, sequence);
      position = log.append(record, at -> { });
      nextSequence++;
      appends++;
      pending.add(sequence, position, record.length, createdMillis, key);
      lastSequenceOf.put(CycleFiles.cycle(position), sequence);
      waitFor = durability;
      awaiting.incrementAndGet();
    } finally {
      lock.unlock();
    }
    try {
      waitFor.awaitDurable(position);
    } finally {
      if (awaiting.decrementAndGet() == 0 && resetDeferred) {
        rearmDeferredReset();
      }
    }
    return sequence;
  }

  /** Up to {@code max} pending hints, oldest first; a record found damaged is skipped (and logged). */
  List<Hint> oldest(int max) {
    lock.lock();
    try {
      checkOpen();
      int n = Math.min(Math.max(0, max), pending.size());
      List<Hint> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Loaded hint = read(i, true);
        if (hint != null) {
          out.add(new Hint(target, pending.sequence(i), hint.key(), hint.versions(), pending.createdMillis(i),
              pending.recordSize(i)));
        }
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  /** The merged versions of {@code key}'s pending hints; null when there is none. */
  Siblings pendingFor(PendingHints.KeyBytes key) {
    if (pending.isEmpty()) {
      return null; // without the lock, which slow work (a release's fsync) may hold
    }
    lock.lock();
    try {
      checkOpen();
      Siblings merged = null;
      for (int i : pending.indexesOf(key)) {
        Loaded hint = read(i, false);
        if (hint != null) {
          merged = merged == null ? hint.versions() : merged.merge(hint.versions());
        }
      }
      return merged;
    } finally {
      lock.unlock();
    }
  }

  HintBacklog backlog() {
    lock.lock();
    try {
      checkOpen();
      return pending.isEmpty() ? HintBacklog.EMPTY
          : new HintBacklog(pending.size(), pending.bytes(), pending.createdMillis(0));
    } finally {
      lock.unlock();
    }
  }

  /** Without the lock: a read path asks, and must not wait behind a release's fsync. */
  boolean hasPending() {
    return !pending.isEmpty();
  }

  /**
   * Releases every hint up to {@code upTo} (never past the last one appended): the watermark is
   * written (forced unless {@code sync=none}), closed files it covers are deleted (the watermark
   * forced first in every mode), and once the backlog is empty the queue is deleted after it
   * stayed idle a while ({@link #resetIfIdle}).
   */
  void release(long upTo) {
    lock.lock();
    try {
      checkOpen();
      long upToAppended = Math.min(upTo, nextSequence - 1);
      if (upToAppended <= released) {
        return;
      }
      // The watermark first: if it cannot be written, nothing is released.
      boolean force = options.sync() != SyncPolicy.NONE;
      HintFiles.writeReleased(folder, upToAppended, force);
      releasedForced = force;
      pending.releaseUpTo(upToAppended);
      released = upToAppended;
      if (log != null) {
        try {
          deleteReleasedFiles();
        } catch (IOException | UncheckedIOException e) {
          // Released all the same: the files go at the next release, or when the queue is deleted.
          LOG.warn("could not delete released hint files of {} in {}: {}", target, queueDirectory, e.toString());
        }
        if (pending.isEmpty()) {
          long appendsNow = appends;
          afterIdle.accept(() -> resetIfIdle(appendsNow));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the hint watermark of " + target + " in " + folder, e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Closes and deletes the queue if nothing was appended since {@code appendsThen} and nothing is
   * pending: a target whose hints are all handed off keeps only its two small files. While appends
   * still wait on their fsync it does nothing, and the last of them asks again.
   */
  void resetIfIdle(long appendsThen) {
    lock.lock();
    try {
      if (closed || log == null || appends != appendsThen || !pending.isEmpty()) {
        return;
      }
      // Set before the count is read (both volatile): either the count read here is 0, or the last
      // append to stop waiting sees the flag and asks again.
      resetDeferred = true;
      if (awaiting.get() > 0) {
        return;
      }
      resetDeferred = false;
      forceReleased();
      durability.close();
      durability = null;
      deleteQueue();
      LOG.debug("deleted the drained hint queue of {} in {}", target, queueDirectory);
    } catch (IOException e) {
      LOG.warn("could not delete the drained hint queue of {} in {}: {}", target, queueDirectory, e.toString());
    } finally {
      lock.unlock();
    }
  }

  /** Forces what was appended and closes the queue; closing twice is harmless. */
  void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (log != null) {
        try {
          if (durability != null) {
            durability.forceUpTo(log.lastAppended());
            durability.close();
          }
        } finally {
          log.close();
          log = null;
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private void rearmDeferredReset() {
    lock.lock();
    try {
      if (resetDeferred && awaiting.get() == 0 && !closed) {
        resetDeferred = false;
        long appendsNow = appends;
        afterIdle.accept(() -> resetIfIdle(appendsNow));
      }
    } finally {
      lock.unlock();
    }
  }

  private void openQueue(int recordLength) {
    long free = usableBytes();
    if (free < OPEN_ROOM + recordLength) {
      throw new RingkvException(ErrorCode.STORAGE_FULL, "no space left on the device of the hint store in "
          + folder.getParent() + " (" + free + " bytes free): the hint was refused and nothing was stored");
    }
    try {
      Files.createDirectories(queueDirectory);
      if (options.sync() != SyncPolicy.NONE) {
        HintFiles.forceDirectory(folder);
      }
      ChronicleLog opened = ChronicleLog.open(queueDirectory, options, disk, false);
      try {
        opened.startWriting(opened.activeCycle(), 0);
        durability = Durability.of(options.sync(), opened.files(), opened, options.batchIntervalMillis());
      } catch (RuntimeException | Error e) {
        opened.close();
        throw e;
      }
      log = opened;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the hint queue of " + target + " in " + queueDirectory, e);
    }
  }

  /** Deletes the closed files whose hints are all released (a prefix of the queue), the watermark forced first. */
  private void deleteReleasedFiles() throws IOException {
    List<Integer> done = new ArrayList<>();
    for (Map.Entry<Integer, Long> e : lastSequenceOf.headMap(log.activeCycle(), false).entrySet()) {
      if (e.getValue() > released) {
        break;
      }
      done.add(e.getKey());
    }
    if (!done.isEmpty()) {
      forceReleased();
      log.delete(done);
      done.forEach(lastSequenceOf::remove);
    }
  }

  /** Closes the queue and deletes its folder: its files first, oldest first, then Chronicle's metadata. */
  private void deleteQueue() throws IOException {
    CycleFiles files = log.files();
    try {
      log.close();
    } finally {
      log = null;
      lastSequenceOf.clear();
    }
    for (int cycle : files.list()) {
      Files.deleteIfExists(files.fileOf(cycle));
    }
    HintFiles.deleteTree(queueDirectory);
  }

  private void forceReleased() throws IOException {
    if (!releasedForced) {
      HintFiles.forceReleased(folder);
      releasedForced = true;
    }
  }

  /** A hint's key (null when not asked for) and versions, read back from its record. */
  private record Loaded(Key key, Siblings versions) {
  }

  /**
   * The {@code i}-th pending hint read back from its record (its key decoded only when
   * {@code withKey}); null, and logged, when the record is no longer readable whole or fails its checks.
   */
  private Loaded read(int i, boolean withKey) {
    long position = pending.position(i);
    try {
      byte[] record = log.files().read(position, pending.recordSize(i));
      if (record == null) {
        throw new CorruptRecordException("it lies past the end of its file");
      }
      HintCodec.Header header = HintCodec.verify(record, record.length);
      if (header.sequence() != pending.sequence(i)) {
        throw new CorruptRecordException("it holds hint " + header.sequence());
      }
      return new Loaded(withKey ? HintCodec.key(record, header) : null, HintCodec.versions(record, header));
    } catch (CorruptRecordException e) {
      LOG.error("the hint {} for {} at {} is not served: {}", pending.sequence(i), target,
          HintRecovery.describe(position), e.getMessage());
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the hint queue of " + target + " in " + queueDirectory, e);
    }
  }

  private long usableBytes() {
    try {
      return disk.usableBytes(folder);
    } catch (IOException | RuntimeException e) {
      return Long.MAX_VALUE;
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the hint queue of " + target + " in " + folder + " is closed");
    }
  }
}
