package io.ringkv.resolver;

import io.ringkv.api.Bytes;
import io.ringkv.api.ConflictResolver;
import io.ringkv.api.Resolution;
import io.ringkv.api.Versioned;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * {@code lww}, last writer wins. Causality first: a version that another version has seen is
 * dropped whatever its timestamp, so a causally newer write wins even when its coordinator's
 * clock ran behind (clock skew never resurrects an overwritten value). Among the concurrent
 * versions left, the latest timestamp wins; on equal timestamps the greater {@link
 * io.ringkv.api.Dot} wins, so the answer never depends on the order of the input. A winning
 * tombstone makes the result a delete.
 *
 * <p>When one version is left it is kept as it is; otherwise the winner is returned as a
 * {@link Resolution.Merged}, which the coordinator writes back over every sibling. The losers
 * are gone: that is the documented price of lww.
 */
final class LwwResolver implements ConflictResolver {
  static final Comparator<Versioned<Bytes>> OLDEST_FIRST =
      Comparator.<Versioned<Bytes>>comparingLong(Versioned::timestamp)
          .thenComparing(Versioned::dot);

  @Override
  public Resolution resolve(List<Versioned<Bytes>> siblings) {
    List<Versioned<Bytes>> current = Inputs.current(siblings);
    if (current.size() == 1) {
      return new Resolution.Keep(current);
    }
    Versioned<Bytes> winner = Collections.max(current, OLDEST_FIRST);
    return new Resolution.Merged(winner.value(), winner.timestamp(), winner.tombstone());
  }

  @Override
  public String toString() {
    return BuiltInResolvers.LWW;
  }
}
