package io.ringkv.api;

import java.util.List;

/** What a {@link ConflictResolver} decided. */
public sealed interface Resolution {
  /** Hand these versions (a subset of the input) to the client as they are. */
  record Keep(List<Versioned<Bytes>> versions) implements Resolution {
    public Keep {
      versions = List.copyOf(versions);
      if (versions.isEmpty()) {
        throw new IllegalArgumentException("a resolver must keep at least one version");
      }
    }
  }

  /**
   * Replace every sibling by one version with this value and timestamp (a tombstone when
   * {@code tombstone}); the coordinator writes it back over them.
   */
  record Merged(Bytes value, long timestamp, boolean tombstone) implements Resolution {
    public Merged {
      if (value == null) {
        throw new IllegalArgumentException("merged value must not be null");
      }
    }
  }

  static Resolution keep(List<Versioned<Bytes>> versions) {
    return new Keep(versions);
  }

  static Resolution merged(Bytes value, long timestamp) {
    return new Merged(value, timestamp, false);
  }
}
