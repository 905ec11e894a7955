package io.ringkv.api;

/** Something ordered by causality. The one implementation is {@link VectorClock}. */
public sealed interface Version permits VectorClock {
  /** How this version relates to {@code other}. */
  Occurred compare(Version other);
}
