package io.ringkv.storage.log;

import io.ringkv.api.Key;
import io.ringkv.storage.spi.KeyPartitioner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the index at start-up: from the newest index snapshot plus the records after its cut
 * when there is a usable one, else from every record of the log. Records that fail their
 * checksum or their format are skipped (and counted); a file's records end at a torn write.
 */
final class Recovery {
  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);
  private static final int SNAPSHOT_SAMPLES = 16;

  /** What recovery found. */
  record Result(KeyIndex index, CycleStats stats, boolean fromSnapshot, long replayed, long corrupt, int maxCycle,
      long lastPosition) {
  }

  private final ChronicleLog log;
  private final CycleFiles files;
  private final KeyPartitioner partitioner;
  private KeyIndex index;
  private final CycleStats stats = new CycleStats();
  private long replayed;
  private long corrupt;
  private long lastPosition;

  private Recovery(ChronicleLog log, KeyPartitioner partitioner) {
    this.log = log;
    this.files = log.files();
    this.partitioner = partitioner;
  }

  static Result run(ChronicleLog log, Path snapshotDirectory, KeyPartitioner partitioner) {
    return new Recovery(log, partitioner).recover(snapshotDirectory);
  }

  private Result recover(Path snapshotDirectory) {
    NavigableSet<Integer> existing = files.list();
    IndexSnapshot.Image image = usableSnapshot(snapshotDirectory, existing);
    long cut = 0;
    if (image != null) {
      index = image.index();
      cut = image.cut();
      int stale = dropEntriesIntoDeletedFiles(index, existing);
      if (stale > 0) {
        LOG.info("{} snapshot entries point into log files compacted since; the log after the snapshot has their keys",
            stale);
      }
      image.totals().forEach((cycle, total) -> {
        if (existing.contains(cycle)) {
          stats.total(cycle, total);
        }
      });
    } else {
      index = new KeyIndex(1024);
    }
    log.scan(cut, Integer.MAX_VALUE, this::apply);
    settleLiveBytes(existing);
    int maxCycle = Math.max(existing.isEmpty() ? 0 : existing.last(), CycleFiles.cycle(cut));
    return new Result(index, stats, image != null, replayed, corrupt, maxCycle, Math.max(cut, lastPosition));
  }

  private void apply(long position, byte[] record, int length) {
    replayed++;
    lastPosition = position;
    byte type;
    byte[] keyBytes;
    try {
      type = RecordCodec.verify(record, length);
      keyBytes = RecordCodec.keyBytes(record, length);
    } catch (CorruptRecordException e) {
      corrupt++;
      LOG.warn("skipping the corrupt record at {} ({}): {}", describe(position), length, e.getMessage());
      return;
    }
    stats.appended(CycleFiles.cycle(position), length, false);
    int fingerprint = KeyIndex.fingerprint(keyBytes);
    int slot = index.find(fingerprint, (p, s) -> keyAt(p, s, keyBytes));
    if (type == RecordCodec.TYPE_REMOVE) {
      if (slot >= 0) {
        index.remove(slot);
      }
    } else if (slot >= 0) {
      index.update(slot, position, length);
    } else {
      Key key;
      try {
        key = RecordCodec.decodeKey(record, length);
      } catch (CorruptRecordException e) {
        corrupt++;
        LOG.warn("skipping the record at {} with an invalid key: {}", describe(position), e.getMessage());
        return;
      }
      index.insert(fingerprint, position, length, LogStorageEngine.partitionOf(partitioner, key));
    }
  }

  /** Live bytes from the final index. */
  private void settleLiveBytes(NavigableSet<Integer> existing) {
    stats.clearLive();
    index.forEach((fingerprint, position, size, partition) -> stats.live(CycleFiles.cycle(position), size));
    for (int cycle : new ArrayList<>(stats.totals().keySet())) {
      if (!existing.contains(cycle)) {
        stats.forget(cycle);
      }
    }
  }

  /**
   * Drops the snapshot's entries into files deleted since it was written. A compaction deletes a
   * file only after re-appending its live records, which lie after the snapshot's cut, so the
   * replay puts those keys back.
   */
  private static int dropEntriesIntoDeletedFiles(KeyIndex index, NavigableSet<Integer> existing) {
    List<long[]> stale = new ArrayList<>();
    index.forEach((fingerprint, position, size, partition) -> {
      if (!existing.contains(CycleFiles.cycle(position))) {
        stale.add(new long[] {fingerprint, position});
      }
    });
    for (long[] entry : stale) {
      index.remove(index.findPosition((int) entry[0], entry[1]));
    }
    return stale.size();
  }

  /** The snapshot, if there is one that reads cleanly and agrees with the log and the partitioner. */
  private IndexSnapshot.Image usableSnapshot(Path directory, NavigableSet<Integer> existing) {
    IndexSnapshot.Image image;
    try {
      image = IndexSnapshot.read(directory);
    } catch (IOException e) {
      LOG.warn("ignoring the index snapshot, rebuilding from the whole log: {}", e.getMessage());
      return null;
    }
    if (image == null) {
      return null;
    }
    List<long[]> samples = new ArrayList<>();
    int every = Math.max(1, image.index().size() / SNAPSHOT_SAMPLES);
    int[] seen = {0};
    image.index().forEach((fingerprint, position, size, partition) -> {
      if (seen[0]++ % every == 0 && existing.contains(CycleFiles.cycle(position))) {
        samples.add(new long[] {fingerprint, position, size, partition});
      }
    });
    for (long[] s : samples) {
      String problem = checkSample((int) s[0], s[1], (int) s[2], (int) s[3]);
      if (problem != null) {
        LOG.warn("ignoring the index snapshot, rebuilding from the whole log: the entry at {} {}", describe(s[1]), problem);
        return null;
      }
    }
    return image;
  }

  private String checkSample(int fingerprint, long position, int size, int partition) {
    try {
      byte[] record = files.read(position, size);
      if (record == null) {
        return "lies past the end of its file";
      }
      RecordCodec.verify(record, size);
      if (KeyIndex.fingerprint(RecordCodec.keyBytes(record, size)) != fingerprint) {
        return "names another key than its record";
      }
      int now = LogStorageEngine.partitionOf(partitioner, RecordCodec.decodeKey(record, size));
      return now == partition ? null : "was in partition " + partition + ", the partitioner now says " + now;
    } catch (CorruptRecordException e) {
      return "points to a bad record: " + e.getMessage();
    } catch (IOException e) {
      return "cannot be read: " + e.getMessage();
    }
  }

  private boolean keyAt(long position, int size, byte[] keyBytes) {
    try {
      byte[] prefix = files.read(position, Math.min(size, RecordCodec.KEY_OFFSET + keyBytes.length));
      return prefix != null && RecordCodec.hasKey(prefix, prefix.length, keyBytes);
    } catch (NoSuchFileException compacted) {
      return false; // a snapshot entry into a file compacted since: the key's newer record follows
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the record at " + describe(position), e);
    }
  }

  static String describe(long position) {
    return "log file " + CycleFiles.cycle(position) + " offset " + CycleFiles.offset(position);
  }
}
