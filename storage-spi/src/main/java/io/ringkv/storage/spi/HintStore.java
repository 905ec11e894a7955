package io.ringkv.storage.spi;

import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a node keeps hints (sloppy quorum's hinted handoff): one ordered queue per intended owner
 * ({@code target}). The replication layer appends a hint when a primary misses a write, replays a
 * target's hints in order once it is back, and releases them when acknowledged (or when they are
 * past their bounds). Every method is safe to call from many threads.
 *
 * <p>A durable store keeps every hint that {@link #append} returned for, until it is released,
 * across a crash of the process ({@code kill -9}) and, as its sync setting promises, of the
 * machine; a hint released just before a crash may come back (replaying it again is harmless).
 * After {@link #close()} every other method throws {@link IllegalStateException}.
 *
 * <p>Every store passes {@code io.ringkv.testkit.storage.HintStoreContractTest}.
 */
public interface HintStore extends AutoCloseable {
  /**
   * Adds a hint at the end of {@code target}'s queue and returns it (with its sequence and size).
   *
   * @throws io.ringkv.api.RingkvException with {@link io.ringkv.api.ErrorCode#STORAGE_FULL} when
   *     there is no space for it, or {@link io.ringkv.api.ErrorCode#TOO_LARGE} when it is larger
   *     than the store takes; nothing is kept then
   */
  Hint append(NodeId target, Key key, Siblings versions, long createdMillis);

  /** The targets that have at least one hint. */
  Set<NodeId> targets();

  /** Up to {@code max} of {@code target}'s hints, oldest first (empty when it has none). */
  List<Hint> oldest(NodeId target, int max);

  /**
   * Removes every hint of {@code target} whose sequence is at most {@code upTo}: handed off, or
   * dropped. Releasing what is already released is harmless.
   */
  void release(NodeId target, long upTo);

  /**
   * What the store holds for {@code key}, per target, each target's hints merged
   * ({@link Siblings#merge}); empty when it holds none. For reads that ask a fall-back for a down
   * primary's copy, and for operators.
   */
  Map<NodeId, Siblings> pendingFor(Key key);

  /** How much is queued for {@code target}. */
  HintBacklog backlog(NodeId target);

  /** Releases the store's resources; closing twice is harmless. */
  @Override
  void close();
}
