package io.ringkv.storage.log;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The log engine's options ({@code storage.log.*} with the prefix removed), validated.
 *
 * @param sync when a write is forced to disk before it is acknowledged
 * @param batchIntervalMillis {@code batch}: the least time between two group fsyncs
 * @param compactionThreshold dead bytes / all bytes of the closed log files that start a compaction
 * @param compactionMinBytes closed log files smaller than this together are never compacted
 * @param snapshotIntervalRecords an index snapshot (hint file) after this many appended records;
 *     0 = only at close
 * @param fileBytes a log file is closed (and a new one started) once it holds this many bytes
 * @param blockBytes Chronicle's block size (files grow by it); a record may take a quarter of it
 */
record LogOptions(SyncPolicy sync, int batchIntervalMillis, double compactionThreshold, long compactionMinBytes,
    long snapshotIntervalRecords, long fileBytes, long blockBytes) {
  static final String SYNC = "sync";
  static final String BATCH_INTERVAL_MS = "batch.interval.ms";
  static final String COMPACTION_THRESHOLD = "compaction.threshold";
  static final String COMPACTION_MIN_BYTES = "compaction.min.bytes";
  static final String SNAPSHOT_INTERVAL_RECORDS = "snapshot.interval.records";
  static final String FILE_BYTES = "file.bytes";
  static final String BLOCK_BYTES = "block.bytes";
  static final Set<String> KNOWN = Set.copyOf(new TreeSet<>(Set.of(SYNC, BATCH_INTERVAL_MS, COMPACTION_THRESHOLD,
      COMPACTION_MIN_BYTES, SNAPSHOT_INTERVAL_RECORDS, FILE_BYTES, BLOCK_BYTES)));
  private static final long MIB = 1L << 20;

  LogOptions {
    if (sync == null) {
      throw new IllegalArgumentException("storage option '" + SYNC + "' must be one of none, batch, always");
    }
    check(BATCH_INTERVAL_MS, batchIntervalMillis, 1, 1000);
    if (!(compactionThreshold > 0 && compactionThreshold <= 1)) {
      throw new IllegalArgumentException("storage option '" + COMPACTION_THRESHOLD + "' = " + compactionThreshold
          + " is invalid: it must be a fraction in (0, 1] (dead bytes / all bytes)");
    }
    check(COMPACTION_MIN_BYTES, compactionMinBytes, 0, Long.MAX_VALUE);
    check(SNAPSHOT_INTERVAL_RECORDS, snapshotIntervalRecords, 0, Long.MAX_VALUE);
    check(FILE_BYTES, fileBytes, 64 * 1024, 1L << 30);
    check(BLOCK_BYTES, blockBytes, 256 * 1024, 1L << 30);
    if (Long.bitCount(blockBytes) != 1) {
      throw new IllegalArgumentException("storage option '" + BLOCK_BYTES + "' = " + blockBytes
          + " is invalid: it must be a power of two");
    }
  }

  static LogOptions defaults() {
    return new LogOptions(SyncPolicy.BATCH, 2, 0.6, 64 * MIB, 500_000, 64 * MIB, 64 * MIB);
  }

  /** Parses the options; an unknown name or a bad value is an {@link IllegalArgumentException}. */
  static LogOptions parse(Map<String, String> options) {
    for (String name : options.keySet()) {
      if (!KNOWN.contains(name)) {
        throw new IllegalArgumentException("unknown storage option '" + name + "' for the "
            + LogStorageEngines.NAME + " engine; known: " + String.join(", ", new TreeSet<>(KNOWN)));
      }
    }
    LogOptions d = defaults();
    return new LogOptions(
        options.containsKey(SYNC) ? SyncPolicy.parse(options.get(SYNC)) : d.sync(),
        (int) number(options, BATCH_INTERVAL_MS, d.batchIntervalMillis(), false),
        fraction(options, COMPACTION_THRESHOLD, d.compactionThreshold()),
        number(options, COMPACTION_MIN_BYTES, d.compactionMinBytes(), true),
        number(options, SNAPSHOT_INTERVAL_RECORDS, d.snapshotIntervalRecords(), false),
        number(options, FILE_BYTES, d.fileBytes(), true),
        number(options, BLOCK_BYTES, d.blockBytes(), true));
  }

  /** The largest record Chronicle takes with this block size. */
  int maxRecordBytes() {
    return (int) (blockBytes / 4) - 64;
  }

  private static void check(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException("storage option '" + name + "' = " + value + " is invalid: it must be in ["
          + min + ", " + max + "]");
    }
  }

  /** A whole number; sizes may end in k, m or g (binary multiples). */
  private static long number(Map<String, String> options, String name, long fallback, boolean size) {
    String raw = options.get(name);
    if (raw == null) {
      return fallback;
    }
    String text = raw.trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    if (size && !text.isEmpty()) {
      char last = text.charAt(text.length() - 1);
      unit = last == 'k' ? 1024 : last == 'm' ? MIB : last == 'g' ? 1024 * MIB : 1;
      if (unit != 1) {
        text = text.substring(0, text.length() - 1);
      }
    }
    try {
      return Math.multiplyExact(Long.parseLong(text), unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("storage option '" + name + "' = '" + raw + "' is invalid: it must be a whole number"
          + (size ? " of bytes, optionally with a k, m or g suffix" : ""));
    }
  }

  private static double fraction(Map<String, String> options, String name, double fallback) {
    String raw = options.get(name);
    if (raw == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(raw.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("storage option '" + name + "' = '" + raw
          + "' is invalid: it must be a fraction in (0, 1]");
    }
  }
}
