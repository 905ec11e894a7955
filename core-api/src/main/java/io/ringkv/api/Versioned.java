package io.ringkv.api;

/**
 * One stored version of a key: a sibling. It carries its {@link Dot} (which write it is), its
 * causal {@code context} (the clock of what the writer had seen when it wrote), the writer's
 * wall-clock time, and whether it is a tombstone (a delete).
 *
 * <p>A version supersedes exactly the versions whose dots its context covers; every other
 * version stays beside it as a sibling.
 *
 * @param <V> the value type; ringkv stores {@link Bytes}. A tombstone's value is empty.
 */
public record Versioned<V>(V value, Dot dot, VectorClock context, long timestamp, boolean tombstone) {
  public Versioned {
    if (value == null || dot == null || context == null) {
      throw new IllegalArgumentException("versioned needs a value, a dot and a context");
    }
    if (context.covers(dot)) {
      throw new IllegalArgumentException("a version's own dot " + dot
          + " cannot be in its causal context " + context);
    }
  }

  /** A live (non-tombstone) version. */
  public static <V> Versioned<V> of(V value, Dot dot, VectorClock context, long timestamp) {
    return new Versioned<>(value, dot, context, timestamp, false);
  }

  /** The full clock of this version: its context advanced by its own dot. */
  public VectorClock clock() {
    return context.with(dot, timestamp);
  }

  /** True when this version's context has seen {@code other}: this one supersedes it. */
  public boolean supersedes(Versioned<?> other) {
    return context.covers(other.dot);
  }

  public <W> Versioned<W> withValue(W newValue) {
    return new Versioned<>(newValue, dot, context, timestamp, tombstone);
  }
}
