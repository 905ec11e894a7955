package io.ringkv.api;

import java.util.regex.Pattern;

/**
 * A node's stable identity in the cluster (by default {@code host:port}). It names the node on
 * the ring and in membership; the vector-clock actor is the node id plus an {@link Actor#epoch()}.
 */
public record NodeId(String value) implements Comparable<NodeId> {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:\\-\\[\\]]{1,128}");

  public NodeId {
    if (value == null || !VALID.matcher(value).matches()) {
      throw new IllegalArgumentException("node id '" + value
          + "' is invalid: use 1 to 128 characters from letters, digits and . _ : - [ ]");
    }
  }

  public static NodeId of(String value) {
    return new NodeId(value);
  }

  @Override
  public int compareTo(NodeId o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
