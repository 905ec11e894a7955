package io.ringkv.replication.api;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.GetResult;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.PutResult;
import io.ringkv.api.QuorumNotReachedException;
import io.ringkv.api.RingkvException;
import io.ringkv.api.Siblings;
import java.util.List;
import java.util.Map;

/** What a node answers. */
public sealed interface ReplicaResponse {
  record Fetched(Siblings siblings) implements ReplicaResponse {}

  record Stored() implements ReplicaResponse {}

  record Reaped(boolean removed) implements ReplicaResponse {}

  record GetDone(GetResult result) implements ReplicaResponse {}

  /** A coordinated put or delete: the new version's context and the write receipt. */
  record PutDone(PutResult result) implements ReplicaResponse {}

  /** The hints a node holds for a key, per intended owner (empty when none). */
  record HintsFetched(Map<NodeId, Siblings> hints) implements ReplicaResponse {
    public HintsFetched {
      hints = Map.copyOf(hints);
    }
  }

  /** Hashes of tree nodes, in the order asked ({@link ReplicaRequest.TreeLevel}). */
  record TreeHashes(List<Long> hashes) implements ReplicaResponse {
    public TreeHashes {
      hashes = List.copyOf(hashes);
    }
  }

  /** Tree entries: {@code tokens.get(i)} has leaf hash {@code leaves.get(i)}. */
  record TreeEntries(List<Long> tokens, List<Long> leaves) implements ReplicaResponse {
    public TreeEntries {
      tokens = List.copyOf(tokens);
      leaves = List.copyOf(leaves);
      if (tokens.size() != leaves.size()) {
        throw new IllegalArgumentException(tokens.size() + " tokens with " + leaves.size()
            + " leaves: each token has exactly one leaf hash");
      }
    }
  }

  /**
   * The keys found for the tokens asked, and the tokens left for a later request ({@code unsent},
   * when the answer reached its size budget).
   */
  record KeysFetched(Map<Key, Siblings> found, List<Long> unsent) implements ReplicaResponse {
    public KeysFetched {
      found = Map.copyOf(found);
      unsent = List.copyOf(unsent);
    }
  }

  /**
   * What a node holds: {@code keys.get(i)} keys and {@code bytes.get(i)} value bytes of partition
   * {@code partitions.get(i)} with replication factor {@code factors.get(i)}.
   */
  record Sizes(List<Integer> partitions, List<Integer> factors, List<Long> keys, List<Long> bytes)
      implements ReplicaResponse {
    public Sizes {
      partitions = List.copyOf(partitions);
      factors = List.copyOf(factors);
      keys = List.copyOf(keys);
      bytes = List.copyOf(bytes);
      if (factors.size() != partitions.size() || keys.size() != partitions.size()
          || bytes.size() != partitions.size()) {
        throw new IllegalArgumentException("sizes of " + partitions.size() + " partitions with "
            + factors.size() + " factors, " + keys.size() + " key counts and " + bytes.size()
            + " byte counts: each partition has exactly one of each");
      }
    }
  }

  /** The keys asked for that the answering node holds hints for. */
  record KeysHinted(List<Key> keys) implements ReplicaResponse {
    public KeysHinted {
      keys = List.copyOf(keys);
    }
  }

  /**
   * The request failed on the answering node; for quorum errors, {@code quorum} names the count
   * that fell short (R, W, PR, PW) and {@code required} / {@code achieved} say by how much.
   */
  record Failed(ErrorCode code, String message, String operation, String quorum, int required,
      int achieved) implements ReplicaResponse {
    public Failed {
      message = message == null ? "" : message;
      operation = operation == null ? "" : operation;
      quorum = quorum == null ? "" : quorum;
    }

    public static Failed of(Throwable error) {
      Throwable t = error;
      while ((t instanceof java.util.concurrent.CompletionException
          || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
        t = t.getCause();
      }
      if (t instanceof QuorumNotReachedException q) {
        return new Failed(q.code(), q.getMessage(), q.operation(), q.quorum(), q.required(),
            q.achieved());
      }
      if (t instanceof RingkvException r) {
        return new Failed(r.code(), r.getMessage(), "", "", 0, 0);
      }
      return new Failed(ErrorCode.INTERNAL, String.valueOf(t), "", "", 0, 0);
    }

    /** The same failure as an exception on the asking side. */
    public RingkvException toException() {
      if (code == ErrorCode.QUORUM_NOT_REACHED) {
        return quorum.isEmpty() ? new QuorumNotReachedException(operation, required, achieved)
            : new QuorumNotReachedException(operation, quorum, required, achieved);
      }
      return new RingkvException(code, message);
    }
  }
}
