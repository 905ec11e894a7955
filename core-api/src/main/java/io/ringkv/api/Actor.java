package io.ringkv.api;

import java.util.Comparator;

/**
 * Who issues versions: a node in one of its lives. The epoch changes whenever the node starts
 * with an empty data folder, so a node that lost its disk never reissues a dot it issued before.
 */
public record Actor(NodeId node, long epoch) implements Comparable<Actor> {
  private static final Comparator<Actor> ORDER =
      Comparator.comparing(Actor::node).thenComparingLong(Actor::epoch);

  public Actor {
    if (node == null) {
      throw new IllegalArgumentException("actor needs a node id");
    }
    if (epoch < 0) {
      throw new IllegalArgumentException("actor epoch must be >= 0, was " + epoch);
    }
  }

  /** Parses the {@link #toString()} form {@code node#epoch}. */
  public static Actor parse(String text) {
    int hash = text.lastIndexOf('#');
    if (hash <= 0 || hash == text.length() - 1) {
      throw new IllegalArgumentException("actor '" + text + "' is not of the form node#epoch");
    }
    return new Actor(NodeId.of(text.substring(0, hash)),
        Long.parseUnsignedLong(text.substring(hash + 1), 36));
  }

  @Override
  public int compareTo(Actor o) {
    return ORDER.compare(this, o);
  }

  @Override
  public String toString() {
    return node.value() + "#" + Long.toUnsignedString(epoch, 36);
  }
}
