package io.ringkv.replication.api;

import io.ringkv.api.Bytes;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.RequestOptions;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;

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

  /** Short name for logs and metrics. */
  default String kind() {
    return getClass().getSimpleName();
  }
}
