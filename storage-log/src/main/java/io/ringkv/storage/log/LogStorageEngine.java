package io.ringkv.storage.log;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.Key;
import io.ringkv.api.RingkvException;
import io.ringkv.api.Siblings;
import io.ringkv.storage.spi.KeyPartitioner;
import io.ringkv.storage.spi.StorageEngine;
import io.ringkv.storage.spi.StorageEngines;
import io.ringkv.storage.spi.StorageSettings;
import io.ringkv.storage.spi.Write;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log-structured engine (see {@link LogStorageEngines} for what each sync mode survives).
 * Writes to one key are serialised by a striped lock: read the stored record, merge, append the
 * merged set, point the index at it. Reads look the key up and read its record back, checking its
 * checksum; a bad record is never served (the key reads as absent and the error is logged).
 */
final class LogStorageEngine implements StorageEngine {
  private static final Logger LOG = LoggerFactory.getLogger(LogStorageEngine.class);
  private static final int STRIPES = 256;
  /** How much of a stored record a put reads before it knows whether it needs the rest (the values). */
  private static final int MERGE_PREFIX_BYTES = 256;
  /** What {@link #forEachKeyInPartition} reads of a record: room for a key of about 240 bytes. */
  private static final int KEY_HEAD_BYTES = 256;

  private final Path directory;
  private final FolderLock folderLock;
  private final KeyPartitioner partitioner;
  private final ChronicleLog log;
  private final KeyTable table;
  private final Durability durability;
  private final Maintenance maintenance;
  private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
  private final ReentrantReadWriteLock walks = new ReentrantReadWriteLock();
  private final Lifecycle lifecycle;
  private final Recovery.Result recovery;
  private final long recoveryMillis;
  private final AtomicLong corruptServed = new AtomicLong();
  private final int maxRecordBytes;
  private final long blockBytes;
  /** False at {@code sync=always}: every write then fsyncs on its caller's thread. */
  private final boolean nonBlocking;
  private volatile boolean snapshotOnClose = true;

  LogStorageEngine(StorageSettings settings, LogOptions options) {
    this(settings, options, FileWarmer.FILE_SYSTEM);
  }

  /** {@code disk}: where the log's disk space comes from (the file system, or a test's stand-in). */
  LogStorageEngine(StorageSettings settings, LogOptions options, FileWarmer.Disk disk) {
    long started = System.nanoTime();
    this.directory = settings.directory();
    this.lifecycle = new Lifecycle("the " + name() + " storage engine in " + directory + " is closed");
    this.partitioner = settings.partitioner();
    this.maxRecordBytes = options.maxRecordBytes();
    this.blockBytes = options.blockBytes();
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new ReentrantLock();
    }
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the storage folder " + directory, e);
    }
    folderLock = FolderLock.acquire(directory);
    try {
      this.log = ChronicleLog.open(directory.resolve("log"), options, disk);
    } catch (IOException e) {
      folderLock.close();
      throw new UncheckedIOException("cannot open the log in " + directory, e);
    } catch (RuntimeException e) {
      folderLock.close();
      throw e;
    }
    try {
      recovery = Recovery.run(log, directory, partitioner);
      table = new KeyTable(recovery.index(), recovery.stats(), log.files());
      log.startWriting(recovery.maxCycle() + 1, recovery.lastPosition());
      durability = Durability.of(options.sync(), log.files(), log, options.batchIntervalMillis());
      nonBlocking = options.sync() != SyncPolicy.ALWAYS;
      Compactor compactor = new Compactor(log, table, durability, stripes, walks, this::closing, options);
      maintenance = new Maintenance(log, table, durability, compactor, directory, options.snapshotIntervalRecords());
    } catch (RuntimeException | Error e) {
      log.close();
      folderLock.close();
      throw e;
    }
    recoveryMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    long[] bytes = table.bytesBelow(Integer.MAX_VALUE);
    LOG.info("opened the {} storage engine in {}: {} keys, {} log files ({} bytes, {} live), recovered in {} ms "
            + "({}, {} records replayed, {} corrupt skipped), sync={}",
        name(), directory, table.size(), log.files().list().size(), bytes[0], bytes[1], recoveryMillis,
        recovery.fromSnapshot() ? "index snapshot + log tail" : "full log scan", recovery.replayed(),
        recovery.corrupt(), options.sync());
  }

  @Override
  public String name() {
    return LogStorageEngines.NAME;
  }

  @Override
  public Siblings get(Key key) {
    lifecycle.enter();
    try {
      byte[] keyBytes = RecordCodec.encodeKey(requireKey(key));
      KeyTable.Found found = table.lookup(keyBytes, KeyIndex.fingerprint(keyBytes));
      return found == null ? Siblings.empty() : siblingsOf(found);
    } finally {
      lifecycle.exit();
    }
  }

  @Override
  public Siblings put(Key key, Siblings incoming) {
    lifecycle.enter();
    try {
      Appended appended = append(key, incoming, null);
      if (appended.added()) {
        maintenance.appended();
      }
      if (appended.position() > 0) {
        durability.awaitDurable(appended.position());
      }
      return appended.merged();
    } finally {
      lifecycle.exit();
    }
  }

  /**
   * True unless {@code sync=always}: a read is an index lookup and a read of the page cache (or,
   * for a record not cached, of the disk); {@link #write} and {@link #update} append to a file
   * mapped and warmed ahead of them, and their group fsync is a future. Only {@link #put} and
   * {@link #removeIfEquals} wait. At {@code sync=always} every write fsyncs before it returns.
   */
  @Override
  public boolean nonBlocking() {
    return nonBlocking;
  }

  /** Appends under the key's lock and lets go of it at once; the future waits for the group fsync. */
  @Override
  public Write write(Key key, Siblings incoming) {
    lifecycle.enter();
    try {
      return written(append(key, incoming, null));
    } finally {
      lifecycle.exit();
    }
  }

  /** One read of the key's record under its stripe lock serves the change and the merge. */
  @Override
  public Write update(Key key, UnaryOperator<Siblings> change) {
    if (change == null) {
      throw new IllegalArgumentException("update of " + key + " needs a change, got null");
    }
    lifecycle.enter();
    try {
      return written(append(key, null, change));
    } finally {
      lifecycle.exit();
    }
  }

  /** Under the lifecycle guard, so a concurrent close forces the write before it stops. */
  private Write written(Appended appended) {
    if (appended.added()) {
      maintenance.appended();
    }
    if (appended.position() == 0) {
      return Write.durable(appended.merged());
    }
    return new Write(appended.merged(), durability.whenDurable(appended.position()));
  }

  /**
   * What a write left stored; the position of the record to wait for (the one it appended, or,
   * when it changed nothing, the one already stored, which another writer may have appended and
   * not yet forced; 0 when nothing is stored); and whether it appended one.
   */
  private record Appended(Siblings merged, long position, boolean added) {}

  /**
   * Merges into the key's record {@code incoming}, or what {@code change} makes of the stored set
   * (read whole, under the stripe lock), and appends the result; does not wait for durability.
   * The caller holds the lifecycle guard.
   */
  private Appended append(Key key, Siblings incoming, UnaryOperator<Siblings> change) {
    requireKey(key);
    if (incoming == null && change == null) {
      throw new IllegalArgumentException("put of " + key + " needs a sibling set, got null");
    }
    byte[] keyBytes = RecordCodec.encodeKey(key);
    int fingerprint = KeyIndex.fingerprint(keyBytes);
    if (incoming != null && incoming.isEmpty()) {
      KeyTable.Found found = table.lookup(keyBytes, fingerprint);
      // Stores nothing: a read, which waits for no one's durability.
      return new Appended(found == null ? Siblings.empty() : siblingsOf(found), 0, false);
    }
    int partition = partitionOf(partitioner, key);
    ReentrantLock stripe = stripe(fingerprint);
    stripe.lock();
    try {
      KeyTable.Found stored;
      if (change != null) {
        stored = table.lookup(keyBytes, fingerprint);
        Siblings current = stored == null ? Siblings.empty() : siblingsOf(stored);
        incoming = StorageEngines.changed(key, change, current);
        if (incoming.isEmpty()) {
          return new Appended(current, stored == null ? 0 : stored.position(), false);
        }
      } else {
        // Only the stored record's head is read at first: when the incoming set supersedes every
        // stored version, their metadata decides the merge and the stored values are never read.
        stored = table.lookup(keyBytes, fingerprint, MERGE_PREFIX_BYTES);
      }
      RecordMerge.Merged fast;
      if (stored == null) {
        fast = RecordMerge.fresh(keyBytes, incoming);
      } else {
        fast = stored.complete() ? null
            : RecordMerge.mergeOnMetadata(keyBytes, stored.record(), stored.size(), incoming);
        if (fast == null) {
          // The common cases merge on the versions' metadata and copy stored values as raw bytes.
          stored = table.complete(stored);
          fast = stored.complete() ? RecordMerge.merge(keyBytes, stored.record(), stored.size(), incoming) : null;
        }
      }
      KeyTable.Found found = stored;
      byte[] record;
      Siblings merged;
      if (fast != null) {
        merged = fast.siblings();
        record = fast.record();
      } else {
        Siblings current = siblingsOf(found);
        merged = current.merge(incoming);
        if (merged.equals(current)) {
          return new Appended(current, found.position(), false);
        }
        record = RecordCodec.encodePut(keyBytes, merged);
      }
      if (record.length > maxRecordBytes) {
        throw tooLarge(key, merged, record.length);
      }
      long position = log.append(record, at -> table.put(fingerprint, found, at, record.length, partition));
      return new Appended(merged, position, true);
    } finally {
      stripe.unlock();
    }
  }

  @Override
  public long maxBytesPerKey() {
    return maxRecordBytes;
  }

  private RingkvException tooLarge(Key key, Siblings merged, int recordBytes) {
    boolean siblings = merged.size() > 1;
    return new RingkvException(ErrorCode.TOO_LARGE, key + (siblings ? " with its " + merged.size()
        + " sibling versions" : "") + " would take " + recordBytes + " bytes in the log, over the " + maxRecordBytes
        + " bytes it stores per key (a quarter of its option " + LogOptions.BLOCK_BYTES + " = " + blockBytes
        + ", less 64); nothing was stored"
        + (siblings ? " (a put with the context of a get replaces the siblings it read, which makes room)" : ""));
  }

  @Override
  public boolean removeIfEquals(Key key, Siblings expected) {
    lifecycle.enter();
    try {
      requireKey(key);
      if (expected == null) {
        throw new IllegalArgumentException("removeIfEquals of " + key + " needs the expected sibling set, got null");
      }
      if (expected.isEmpty()) {
        return false; // a stored key always holds at least one version
      }
      byte[] keyBytes = RecordCodec.encodeKey(key);
      int fingerprint = KeyIndex.fingerprint(keyBytes);
      long position;
      ReentrantLock stripe = stripe(fingerprint);
      stripe.lock();
      try {
        KeyTable.Found found = table.lookup(keyBytes, fingerprint);
        if (found == null || !siblingsOf(found).equals(expected)) {
          return false;
        }
        byte[] record = RecordCodec.encodeRemove(keyBytes);
        position = log.append(record, at -> table.remove(fingerprint, found, at, record.length));
      } finally {
        stripe.unlock();
      }
      appended(position);
      return true;
    } finally {
      lifecycle.exit();
    }
  }

  @Override
  public void forEachInPartition(int partition, BiConsumer<Key, Siblings> action) {
    walk("forEachInPartition", partition, action, (position, size) -> {
      byte[] record = log.files().read(position, size);
      if (record == null) {
        reportCorrupt(position, "it lies past the end of its file");
        return;
      }
      Key key;
      Siblings siblings;
      try {
        RecordCodec.verify(record, size);
        key = RecordCodec.decodeKey(record, size);
        siblings = RecordCodec.decodeSiblings(record, size);
      } catch (CorruptRecordException e) {
        reportCorrupt(position, e.getMessage());
        return;
      }
      action.accept(key, siblings);
    });
  }

  /**
   * Reads only the head of each record, where the key is ({@value #KEY_HEAD_BYTES} bytes, the whole
   * record when the key is longer): a scan for keys does not copy or check the values. The head is
   * not checked against the record's checksum, which covers bytes not read; a damaged key yields a
   * key that {@link #get} does not find, so nothing damaged is ever served.
   */
  @Override
  public void forEachKeyInPartition(int partition, Consumer<Key> action) {
    walk("forEachKeyInPartition", partition, action, (position, size) -> {
      Key key = keyAt(position, size);
      if (key != null) {
        action.accept(key);
      }
    });
  }

  /** One stored entry of a partition, by its position and size in the log. */
  @FunctionalInterface
  private interface EntryVisitor {
    void visit(long position, int size) throws IOException;
  }

  /** Visits every entry of the partition under the walk lock; {@code method} names the caller. */
  private void walk(String method, int partition, Object action, EntryVisitor visitor) {
    lifecycle.enter();
    try {
      if (action == null) {
        throw new IllegalArgumentException(method + "(" + partition + ") needs an action, got null");
      }
      // Holding the walk lock keeps a compaction from deleting the files the entries point into.
      walks.readLock().lock();
      try {
        long[] entries = table.entriesOf(partition);
        for (int i = 0; i < entries.length; i += 2) {
          visitor.visit(entries[i], (int) entries[i + 1]);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read partition " + partition + " from the log in " + directory, e);
      } finally {
        walks.readLock().unlock();
      }
    } finally {
      lifecycle.exit();
    }
  }

  /** The key of the record at {@code position}; null (and reported) when it cannot be read. */
  private Key keyAt(long position, int size) throws IOException {
    int head = Math.min(size, KEY_HEAD_BYTES);
    byte[] bytes = log.files().read(position, head);
    if (bytes != null && head < size) {
      try {
        return RecordCodec.decodeKey(bytes, head);
      } catch (CorruptRecordException e) {
        bytes = log.files().read(position, size); // a key longer than the head: read it all
      }
    }
    if (bytes == null) {
      reportCorrupt(position, "it lies past the end of its file");
      return null;
    }
    try {
      RecordCodec.verify(bytes, size);
      return RecordCodec.decodeKey(bytes, size);
    } catch (CorruptRecordException e) {
      reportCorrupt(position, e.getMessage());
      return null;
    }
  }

  @Override
  public long keyCount() {
    lifecycle.enter();
    try {
      return table.size();
    } finally {
      lifecycle.exit();
    }
  }

  /** Sizes and counters; see {@link LogStorageStats}. */
  LogStorageStats stats() {
    lifecycle.enter();
    try {
      long[] bytes = table.bytesBelow(Integer.MAX_VALUE);
      return new LogStorageStats(table.size(), table.memoryBytes(), log.files().list().size(), bytes[0], bytes[1],
          log.files().fileBytes(), maintenance.compactions(), recovery.corrupt() + corruptServed.get(),
          recovery.fromSnapshot(), recovery.replayed(), recoveryMillis);
    } finally {
      lifecycle.exit();
    }
  }

  /** Compacts every closed file now, if there is any, on the maintenance thread; true if it did. */
  boolean compactNow() {
    return maintenance.run(() -> maintenance.compactor().compactAll());
  }

  /** Returns once the maintenance work asked for so far (snapshots, compactions) is done. */
  void awaitMaintenance() {
    maintenance.run(() -> null);
  }

  /** Writes an index snapshot now, on the maintenance thread. */
  void snapshotNow() {
    maintenance.run(() -> {
      maintenance.snapshot();
      return null;
    });
  }

  /** Every index entry, position to partition (tests compare recoveries with it). */
  SortedMap<Long, Integer> indexedPositions() {
    return table.positions();
  }

  /** Closes without the final index snapshot, as a crash would leave things (tests). */
  void closeWithoutSnapshot() {
    snapshotOnClose = false;
    close();
  }

  @Override
  public void close() {
    boolean closedNow = lifecycle.closeOnce(() -> { // once the operations in flight are done
      try {
        maintenance.close();
        if (snapshotOnClose) {
          maintenance.snapshot();
        }
        durability.forceUpTo(log.lastAppended());
        durability.close();
      } finally {
        log.close();
        folderLock.close();
      }
    });
    if (closedNow) {
      LOG.info("closed the {} storage engine in {}", name(), directory);
    }
  }

  @Override
  public String toString() {
    return "LogStorageEngine[" + directory + (lifecycle.isClosed() ? ", closed" : "") + "]";
  }

  static int partitionOf(KeyPartitioner partitioner, Key key) {
    int partition = partitioner.partitionOf(key);
    if (partition < 0) {
      throw new IllegalArgumentException("the key partitioner put " + key + " in partition " + partition
          + "; partitions must be >= 0");
    }
    return partition;
  }

  private void appended(long position) {
    maintenance.appended();
    durability.awaitDurable(position);
  }

  private Siblings siblingsOf(KeyTable.Found found) {
    if (!found.complete()) {
      reportCorrupt(found.position(), "it lies past the end of its file");
      return Siblings.empty();
    }
    try {
      RecordCodec.verify(found.record(), found.size());
      return RecordCodec.decodeSiblings(found.record(), found.size());
    } catch (CorruptRecordException e) {
      reportCorrupt(found.position(), e.getMessage());
      return Siblings.empty();
    }
  }

  private void reportCorrupt(long position, String problem) {
    corruptServed.incrementAndGet();
    LOG.error("the record at {} is not served: {}", Recovery.describe(position), problem);
  }

  private ReentrantLock stripe(int fingerprint) {
    return stripes[fingerprint & (STRIPES - 1)];
  }

  private boolean closing() {
    return lifecycle.isClosed() || maintenance == null || maintenance.closing();
  }

  private static Key requireKey(Key key) {
    if (key == null) {
      throw new IllegalArgumentException("key must not be null");
    }
    return key;
  }
}
