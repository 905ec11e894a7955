package io.ringkv.api;

import java.util.Objects;

/**
 * One node that took a write, and in which role: one of the key's primaries, a fall-back holding
 * the copy of a primary that was down ({@code intendedFor}) until it can hand it off, or a node
 * keeping a hint for such a primary with no fall-back to take it (the coordinator itself, which
 * already counted once). Written as {@code n1=primary}, {@code n4=fallback(n3)},
 * {@code n1=hint(n3)}, the form of the HTTP header {@code X-Ringkv-Replicas}.
 */
public record ReplicaReceipt(NodeId node, Role role, NodeId intendedFor) {
  /** How a node holds the write. */
  public enum Role {
    /** One of the key's N replicas. */
    PRIMARY,
    /** A node beyond the top N, holding a down primary's copy as a hint; counts toward W. */
    FALLBACK,
    /** A primary already counted, also keeping a hint for a down primary; counts nothing more. */
    HINT
  }

  public ReplicaReceipt {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(role, "role");
    if ((role == Role.PRIMARY) != (intendedFor == null)) {
      throw new IllegalArgumentException("a " + role + " receipt "
          + (role == Role.PRIMARY ? "names no other node" : "names the primary it stands for")
          + ", got intendedFor=" + intendedFor);
    }
  }

  public static ReplicaReceipt primary(NodeId node) {
    return new ReplicaReceipt(node, Role.PRIMARY, null);
  }

  public static ReplicaReceipt fallback(NodeId node, NodeId intendedFor) {
    return new ReplicaReceipt(node, Role.FALLBACK, intendedFor);
  }

  public static ReplicaReceipt hint(NodeId node, NodeId intendedFor) {
    return new ReplicaReceipt(node, Role.HINT, intendedFor);
  }

  /**
   * Parses {@code n1=primary}, {@code n4=fallback(n3)} or {@code n1=hint(n3)}.
   *
   * @throws IllegalArgumentException naming the text when it is none of those
   */
  public static ReplicaReceipt parse(String text) {
    int eq = text.lastIndexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("not a replica receipt: '" + text + "'");
    }
    NodeId node = NodeId.of(text.substring(0, eq).trim());
    String role = text.substring(eq + 1).trim();
    if (role.equals("primary")) {
      return primary(node);
    }
    int open = role.indexOf('(');
    if (open < 0 || !role.endsWith(")")) {
      throw new IllegalArgumentException("not a replica receipt: '" + text + "'");
    }
    NodeId owner = NodeId.of(role.substring(open + 1, role.length() - 1).trim());
    switch (role.substring(0, open)) {
      case "fallback":
        return fallback(node, owner);
      case "hint":
        return hint(node, owner);
      default:
        throw new IllegalArgumentException("not a replica receipt: '" + text + "'");
    }
  }

  @Override
  public String toString() {
    String r = role.name().toLowerCase(java.util.Locale.ROOT);
    return node.value() + "=" + (intendedFor == null ? r : r + "(" + intendedFor.value() + ")");
  }
}
