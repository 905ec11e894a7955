package io.ringkv.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Base class for resolvers that merge concurrent values into one (a shopping cart's set union,
 * a counter's max). Subclasses implement {@link #merge(List)}; this class drops versions that
 * another version has seen, ignores tombstones beside live values (a concurrent delete loses to
 * a concurrent update, as in the Dynamo paper's cart), and stamps the result with the latest
 * timestamp among the inputs. It lives in core-api so a plugin can extend it without any other
 * ringkv module.
 */
public abstract class MergeResolver implements ConflictResolver {

  /**
   * Merges two or more live values into one. Must be commutative, associative and idempotent:
   * {@code merge([a, b]) == merge([b, a])}, {@code merge([a, a]) == a}.
   */
  protected abstract Bytes merge(List<Bytes> values);

  @Override
  public final Resolution resolve(List<Versioned<Bytes>> siblings) {
    List<Versioned<Bytes>> current = Siblings.of(siblings).versions();
    if (current.size() == 1) {
      return new Resolution.Keep(current);
    }
    long latest = Long.MIN_VALUE;
    List<Bytes> live = new ArrayList<>();
    for (Versioned<Bytes> v : current) {
      latest = Math.max(latest, v.timestamp());
      if (!v.tombstone()) {
        live.add(v.value());
      }
    }
    if (live.isEmpty()) {
      return new Resolution.Merged(Bytes.EMPTY, latest, true);
    }
    live.sort(null); // a canonical order, so merge sees the same list whatever the input order
    return new Resolution.Merged(live.size() == 1 ? live.get(0) : merge(live), latest, false);
  }
}
