package io.ringkv.api;

import java.util.Comparator;

/**
 * One write event: the actor that coordinated it and a per-key counter higher than any that
 * actor issued for that key before. Dots identify siblings; two siblings with the same dot are
 * the same write.
 */
public record Dot(Actor actor, long counter) implements Comparable<Dot> {
  private static final Comparator<Dot> ORDER =
      Comparator.comparing(Dot::actor).thenComparingLong(Dot::counter);

  public Dot {
    if (actor == null) {
      throw new IllegalArgumentException("dot needs an actor");
    }
    if (counter <= 0) {
      throw new IllegalArgumentException("dot counter must be > 0, was " + counter);
    }
  }

  @Override
  public int compareTo(Dot o) {
    return ORDER.compare(this, o);
  }

  @Override
  public String toString() {
    return "(" + actor + "," + counter + ")";
  }
}
