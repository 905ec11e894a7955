package io.ringkv.replication.api;

import io.ringkv.api.Bytes;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.RequestOptions;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import java.util.List;
import java.util.Map;

/** What one node asks another. Transports (in-process, Netty) carry exactly these. */
public sealed interface ReplicaRequest {
  /** Replica read: answer with what you hold for the key ({@link ReplicaResponse.Fetched}). */
  record Fetch(Key key) implements ReplicaRequest {}

  /** Replica write: merge these versions into what you hold ({@link ReplicaResponse.Stored}). */
  record Store(Key key, Siblings siblings) implements ReplicaRequest {}

  /**
   * Sloppy quorum: keep these versions as a hint for {@code intendedFor}, a primary of the key
   * that is down, and hand them off to it once it is back; answered {@link ReplicaResponse.Stored}
   * once the hint is kept (as durably as the node's hint store keeps anything).
   */
  record StoreHint(Key key, Siblings siblings, NodeId intendedFor) implements ReplicaRequest {}

  /** Which hints do you hold for this key ({@link ReplicaResponse.HintsFetched})? */
  record FetchHints(Key key) implements ReplicaRequest {}

  /** Remove the key if you hold exactly {@code expected} (tombstone reaping). */
  record Reap(Key key, Siblings expected) implements ReplicaRequest {}

  /** A client get forwarded to the key's coordinator. */
  record CoordinateGet(Key key, RequestOptions options) implements ReplicaRequest {}

  /**
   * A client put (or delete, when {@code tombstone}) forwarded to the key's coordinator, with the
   * writer's context already decoded at the edge ({@code seen}: the versions it supersedes).
   */
  record CoordinatePut(Key key, VectorClock seen, Bytes value, boolean tombstone,
      RequestOptions options) implements ReplicaRequest {}

  /**
   * Anti-entropy: the hashes of these nodes at one level of your hash tree of the keys of
   * {@code partition} whose buckets keep {@code n} copies (level 0: the root, index 0; 1: the inner
   * nodes; 2: the segments). Answered {@link ReplicaResponse.TreeHashes}, in the order asked.
   */
  record TreeLevel(int partition, int n, int level, List<Integer> indexes)
      implements ReplicaRequest {
    public TreeLevel {
      indexes = List.copyOf(indexes);
    }
  }

  /**
   * Anti-entropy: the entries (key token and hash of its sibling set) of these segments of the
   * tree of ({@code partition}, {@code n}). Answered {@link ReplicaResponse.TreeEntries}.
   */
  record SegmentEntries(int partition, int n, List<Integer> segments) implements ReplicaRequest {
    public SegmentEntries {
      segments = List.copyOf(segments);
    }
  }

  /**
   * Anti-entropy: what you hold for the keys of ({@code partition}, {@code n}) with these tokens.
   * Answered {@link ReplicaResponse.KeysFetched}, which may leave tokens for a later request.
   */
  record FetchTokens(int partition, int n, List<Long> tokens) implements ReplicaRequest {
    public FetchTokens {
      tokens = List.copyOf(tokens);
    }
  }

  /** Merge each key's versions into what you hold ({@link ReplicaResponse.Stored}). */
  record StoreMany(Map<Key, Siblings> entries) implements ReplicaRequest {
    public StoreMany {
      entries = Map.copyOf(entries);
    }
  }

  /** Which of these keys do you hold hints for ({@link ReplicaResponse.KeysHinted})? */
  record FindHints(List<Key> keys) implements ReplicaRequest {
    public FindHints {
      keys = List.copyOf(keys);
    }
  }

  /**
   * How many keys and value bytes do you hold per partition and replication factor (for a
   * handoff plan)? Answered {@link ReplicaResponse.Sizes}.
   */
  record PartitionSizes() implements ReplicaRequest {}

  /** Short name for logs and metrics. */
  default String kind() {
    return getClass().getSimpleName();
  }
}
