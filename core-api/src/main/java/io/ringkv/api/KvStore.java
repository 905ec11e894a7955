package io.ringkv.api;

import java.util.concurrent.CompletableFuture;

/**
 * The client-facing store: get, put and delete with contexts. Asynchronous, so a network server
 * never blocks a thread on a quorum; call {@code .join()} for a blocking call. Futures fail with
 * {@link RingkvException} (for example {@link QuorumNotReachedException}).
 */
public interface KvStore {
  CompletableFuture<GetResult> get(Key key, RequestOptions options);

  /**
   * Writes {@code value}, superseding the versions {@code context} covers (from an earlier get;
   * {@link Context#EMPTY} for a blind write, concurrent with whatever exists). Completes with the
   * context of the new version and the write receipt (which nodes took it, in which role).
   */
  CompletableFuture<PutResult> put(Key key, Context context, Bytes value, RequestOptions options);

  /** Writes a tombstone superseding the versions {@code context} covers. */
  CompletableFuture<PutResult> delete(Key key, Context context, RequestOptions options);

  default CompletableFuture<GetResult> get(Key key) {
    return get(key, RequestOptions.DEFAULT);
  }

  default CompletableFuture<PutResult> put(Key key, Context context, Bytes value) {
    return put(key, context, value, RequestOptions.DEFAULT);
  }

  default CompletableFuture<PutResult> delete(Key key, Context context) {
    return delete(key, context, RequestOptions.DEFAULT);
  }
}
