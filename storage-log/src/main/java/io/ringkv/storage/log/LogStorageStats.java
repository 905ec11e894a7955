package io.ringkv.storage.log;

/**
 * A log engine's sizes and counters, as of the call.
 *
 * @param keys keys stored
 * @param indexBytes heap bytes of the in-memory index (the keys themselves live in the log)
 * @param logFiles log files on disk
 * @param logBytes record bytes in the log files
 * @param liveBytes record bytes the index points to; the rest is dead until compacted
 * @param diskBytes the log files' lengths (Chronicle files are sparse: the disk holds less)
 * @param compactions compactions since the engine opened
 * @param corruptRecords records that failed their checks (skipped at recovery or not served)
 * @param recoveredFromSnapshot whether start-up used an index snapshot
 * @param recordsReplayed records read at start-up
 * @param recoveryMillis time to open the engine, recovery included
 */
public record LogStorageStats(long keys, long indexBytes, int logFiles, long logBytes, long liveBytes, long diskBytes,
    long compactions, long corruptRecords, boolean recoveredFromSnapshot, long recordsReplayed, long recoveryMillis) {

  /** Index bytes per key, 0 when empty. */
  public double indexBytesPerKey() {
    return keys == 0 ? 0 : (double) indexBytes / keys;
  }
}
