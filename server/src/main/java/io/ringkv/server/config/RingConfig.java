package io.ringkv.server.config;

import io.ringkv.api.ConfigException;
import io.ringkv.ring.Ring;

/**
 * The ring ({@code ring.partitions}): Q, the fixed number of partitions, a power of two. It is
 * chosen once for the life of a cluster: every node must use the same.
 */
public record RingConfig(int partitions) {
  public static final RingConfig DEFAULTS = new RingConfig(64);

  public RingConfig {
    if (partitions < 1 || partitions > Ring.MAX_PARTITIONS || Integer.bitCount(partitions) != 1) {
      throw new ConfigException("ring.partitions", String.valueOf(partitions),
          "must be a power of two between 1 and " + Ring.MAX_PARTITIONS);
    }
  }
}
