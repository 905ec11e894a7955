package io.ringkv.api;

import java.util.List;

/**
 * What a {@code get} returns: the live versions that no other version supersedes (one in the
 * normal case, several when writes were concurrent and the bucket's resolver hands conflicts to
 * the client; none when the key is absent or deleted) and the context to write back with.
 */
public record GetResult(List<Versioned<Bytes>> siblings, Context context) {
  public GetResult {
    siblings = List.copyOf(siblings);
    if (context == null) {
      throw new IllegalArgumentException("context must not be null");
    }
  }

  public static GetResult notFound(Context context) {
    return new GetResult(List.of(), context);
  }

  public boolean isFound() {
    return !siblings.isEmpty();
  }

  public boolean hasConflict() {
    return siblings.size() > 1;
  }

  /** The one value; throws when absent or in conflict. */
  public Bytes value() {
    if (siblings.size() != 1) {
      throw new IllegalStateException(siblings.isEmpty() ? "not found" : siblings.size() + " siblings");
    }
    return siblings.get(0).value();
  }
}
