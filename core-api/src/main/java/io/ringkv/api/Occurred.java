package io.ringkv.api;

/** How one version relates to another in causal order. */
public enum Occurred {
  /** This version happened before the other (the other has seen it). */
  BEFORE,
  /** This version happened after the other (it has seen the other). */
  AFTER,
  /** Both describe the same history. */
  EQUAL,
  /** Neither has seen the other: a conflict. */
  CONCURRENT
}
