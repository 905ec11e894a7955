package io.ringkv.storage.log;

import java.util.Locale;

/** {@code storage.sync}: when a write reaches the disk relative to its acknowledgement. */
enum SyncPolicy {
  /** Never fsync: writes sit in the OS page cache. Survives a process crash, not a power loss. */
  NONE,
  /** Group commit: one fsync at most every {@code batch.interval.ms}; a put returns after the fsync covering it. */
  BATCH,
  /** An fsync per write before it returns. */
  ALWAYS;

  static SyncPolicy parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    switch (t) {
      case "none":
        return NONE;
      case "batch":
        return BATCH;
      case "always":
        return ALWAYS;
      default:
        throw new IllegalArgumentException("storage option '" + LogOptions.SYNC + "' = '" + text
            + "' is invalid: it must be one of none, batch, always");
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
