package io.ringkv.storage.spi;

import io.ringkv.api.Bytes;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;
import io.ringkv.api.Versioned;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Versions of a key this node keeps for the replica that should hold them ({@code target}, a
 * primary that was down when they were written) until they are handed off to it.
 *
 * @param sequence the hint's place in {@code target}'s queue: strictly increasing per target, for
 *     the life of the store (across restarts of a durable one)
 * @param createdMillis when the hint was made (wall clock of the node that keeps it)
 * @param bytes what the hint takes in the store (its encoded size, or an estimate)
 */
public record Hint(NodeId target, long sequence, Key key, Siblings versions, long createdMillis,
    long bytes) {
  public Hint {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(versions, "versions");
    if (sequence < 0) {
      throw new IllegalArgumentException("a hint's sequence must be >= 0, was " + sequence);
    }
    if (bytes < 0) {
      throw new IllegalArgumentException("a hint's size must be >= 0, was " + bytes);
    }
  }

  /**
   * An estimate of what a hint takes, for stores that do not encode it: the key, each version's
   * value, and 48 bytes per version plus 24 per clock entry for its metadata.
   */
  public static long estimateBytes(Key key, Siblings versions) {
    long n = key.bucket().getBytes(StandardCharsets.UTF_8).length
        + key.key().getBytes(StandardCharsets.UTF_8).length + 16;
    for (Versioned<Bytes> v : versions.versions()) {
      n += v.value().length() + 48 + 24L * v.context().entries().size();
    }
    return n;
  }
}
