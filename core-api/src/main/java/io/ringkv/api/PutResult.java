package io.ringkv.api;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a {@code put} or {@code delete} returns: the context of the new version (to write over it
 * later) and the write receipt, which nodes had taken the write when it was acknowledged and in
 * which role. A client can see from it that a write is held by fewer primaries than it hoped
 * (fall-backs stood in for primaries that were down).
 */
public record PutResult(Context context, List<ReplicaReceipt> replicas) {
  public PutResult {
    Objects.requireNonNull(context, "context");
    replicas = List.copyOf(replicas);
  }

  /** A result without a receipt (a store that does not report one). */
  public static PutResult of(Context context) {
    return new PutResult(context, List.of());
  }

  /** How many of the key's primaries had the write when it was acknowledged. */
  public int primaries() {
    return (int) replicas.stream().filter(r -> r.role() == ReplicaReceipt.Role.PRIMARY).count();
  }

  /** The receipt as {@code n1=primary,n2=primary,n4=fallback(n3)}. */
  public String receipt() {
    return replicas.stream().map(ReplicaReceipt::toString).collect(Collectors.joining(","));
  }

  /**
   * Parses {@link #receipt()}'s form (empty text is an empty receipt).
   *
   * @throws IllegalArgumentException naming the part that is not a receipt
   */
  public static List<ReplicaReceipt> parseReceipt(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    return java.util.Arrays.stream(text.split(",")).map(String::trim).map(ReplicaReceipt::parse)
        .toList();
  }
}
