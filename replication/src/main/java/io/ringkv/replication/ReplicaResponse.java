package io.ringkv.replication;

import io.ringkv.api.Context;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.GetResult;
import io.ringkv.api.QuorumNotReachedException;
import io.ringkv.api.RingkvException;
import io.ringkv.api.Siblings;

/** What a node answers. */
public sealed interface ReplicaResponse {
  record Fetched(Siblings siblings) implements ReplicaResponse {}

  record Stored() implements ReplicaResponse {}

  record Reaped(boolean removed) implements ReplicaResponse {}

  record GetDone(GetResult result) implements ReplicaResponse {}

  record PutDone(Context context) implements ReplicaResponse {}

  /** The request failed on the answering node; {@code required}/{@code achieved} for quorum errors. */
  record Failed(ErrorCode code, String message, String operation, int required, int achieved)
      implements ReplicaResponse {
    public static Failed of(Throwable error) {
      Throwable t = Futures.unwrap(error);
      if (t instanceof QuorumNotReachedException q) {
        return new Failed(q.code(), q.getMessage(), q.operation(), q.required(), q.achieved());
      }
      if (t instanceof RingkvException r) {
        return new Failed(r.code(), r.getMessage(), "", 0, 0);
      }
      return new Failed(ErrorCode.INTERNAL, String.valueOf(t), "", 0, 0);
    }

    /** The same failure as an exception on the asking side. */
    public RingkvException toException() {
      if (code == ErrorCode.QUORUM_NOT_REACHED) {
        return new QuorumNotReachedException(operation, required, achieved);
      }
      return new RingkvException(code, message);
    }
  }
}
