package io.ringkv.storage.spi;

import io.ringkv.api.Key;

/**
 * Assigns keys to ring partitions; the engine indexes keys by it for per-partition iteration
 * (handoff and anti-entropy walk one partition at a time). It must be deterministic and return
 * a partition {@code >= 0}: the engine refuses a negative one.
 */
@FunctionalInterface
public interface KeyPartitioner {
  int partitionOf(Key key);
}
