package io.ringkv.storage.spi;

import io.ringkv.api.Siblings;
import java.util.concurrent.CompletableFuture;

/**
 * What one write left stored for its key, and when it is durable: {@link #durable} completes once
 * the write is as durable as the engine promises (at once for an engine that keeps nothing, or
 * whose {@link StorageEngine#put} only returns when durable), or exceptionally when it never will
 * be (an fsync failed, the engine closed first). {@link #stored} is visible to readers as soon as
 * the write returns.
 *
 * @param stored the key's sibling set after the write
 * @param durable completes (with null) once the write is durable
 */
public record Write(Siblings stored, CompletableFuture<Void> durable) {
  public Write {
    if (stored == null || durable == null) {
      throw new IllegalArgumentException("a write needs its stored set and its durability, got "
          + stored + ", " + durable);
    }
  }

  /** A write that is already durable. */
  public static Write durable(Siblings stored) {
    return new Write(stored, CompletableFuture.completedFuture(null)); // not shared: it is mutable
  }
}
