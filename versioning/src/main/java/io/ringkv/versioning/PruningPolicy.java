package io.ringkv.versioning;

import io.ringkv.api.Actor;
import io.ringkv.api.VectorClock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Bounds a clock's size the way Dynamo does: past {@code maxEntries} entries, the entries that
 * advanced longest ago (oldest timestamp first, ties broken by actor order) are dropped.
 *
 * <p>Pruning a causal context makes it cover less, never more. A write carrying a pruned context
 * therefore supersedes a subset of what it would have superseded: at worst a version it had seen
 * stays beside it as a (false) sibling, but no version it had not seen is ever dropped.
 *
 * @param maxEntries how many entries a clock may keep, 1..{@value ContextCodec#MAX_ENTRIES}
 */
public record PruningPolicy(int maxEntries) {
  /** 64 entries: far more actors than a key's preference list ever has in practice. */
  public static final PruningPolicy DEFAULT = new PruningPolicy(64);

  private static final Comparator<Map.Entry<Actor, VectorClock.Entry>> OLDEST_FIRST =
      Comparator.<Map.Entry<Actor, VectorClock.Entry>>comparingLong(e -> e.getValue().timestamp())
          .thenComparing(Map.Entry::getKey);

  public PruningPolicy {
    if (maxEntries < 1 || maxEntries > ContextCodec.MAX_ENTRIES) {
      throw new IllegalArgumentException("pruning maxEntries must be between 1 and "
          + ContextCodec.MAX_ENTRIES + " (the most a context can carry), was " + maxEntries);
    }
  }

  /** {@code clock} itself when it has at most {@code maxEntries} entries, else its newest ones. */
  public VectorClock prune(VectorClock clock) {
    Objects.requireNonNull(clock, "clock");
    int excess = clock.size() - maxEntries;
    if (excess <= 0) {
      return clock;
    }
    List<Map.Entry<Actor, VectorClock.Entry>> byAge = new ArrayList<>(clock.entries().entrySet());
    byAge.sort(OLDEST_FIRST);
    TreeMap<Actor, VectorClock.Entry> kept = new TreeMap<>();
    for (Map.Entry<Actor, VectorClock.Entry> e : byAge.subList(excess, byAge.size())) {
      kept.put(e.getKey(), e.getValue());
    }
    return new VectorClock(kept);
  }
}
