package io.ringkv.storage.spi;

import io.ringkv.api.Key;

/**
 * The locks of {@link StorageEngine#update}'s default: 1 024 stripes by engine and key, shared by
 * every engine that keeps the default (an engine with its own per-key locks overrides it).
 */
final class UpdateLocks {
  private static final int STRIPES = 1024;
  private static final Object[] LOCKS = new Object[STRIPES];

  static {
    for (int i = 0; i < STRIPES; i++) {
      LOCKS[i] = new Object();
    }
  }

  private UpdateLocks() {}

  static Object of(StorageEngine engine, Key key) {
    int h = 31 * System.identityHashCode(engine) + key.hashCode();
    return LOCKS[(h ^ (h >>> 16)) & (STRIPES - 1)];
  }
}
