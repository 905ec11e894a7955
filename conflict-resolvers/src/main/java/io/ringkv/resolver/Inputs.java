package io.ringkv.resolver;

import io.ringkv.api.Bytes;
import io.ringkv.api.Siblings;
import io.ringkv.api.Versioned;
import java.util.List;

/** Checks shared by the built-in resolvers. */
final class Inputs {
  private Inputs() {}

  /**
   * The versions no other version has seen, in dot order (duplicates and superseded versions
   * dropped); refuses an empty or missing input, which no coordinator ever passes.
   */
  static List<Versioned<Bytes>> current(List<Versioned<Bytes>> siblings) {
    if (siblings == null || siblings.isEmpty()) {
      throw new IllegalArgumentException(
          "a resolver needs at least one version, got " + (siblings == null ? "null" : "none"));
    }
    return Siblings.of(siblings).versions();
  }
}
