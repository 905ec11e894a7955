package io.ringkv.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * The set of versions held for one key, with the dotted-version-vector rules that every
 * replica, storage engine and coordinator applies the same way:
 * <ul>
 *   <li>a version is kept unless another version's causal context covers its dot;</li>
 *   <li>versions with the same dot are the same write (kept once);</li>
 *   <li>so a write with context C replaces exactly the versions whose dots C covers.</li>
 * </ul>
 * Immutable; versions are kept in dot order, so two equal sets compare and encode equally.
 * {@link #merge} is commutative, associative and idempotent.
 */
public final class Siblings {
  private static final Siblings EMPTY = new Siblings(List.of());
  private static final Comparator<Versioned<Bytes>> SAME_DOT_TIEBREAK =
      Comparator.<Versioned<Bytes>>comparingLong(Versioned::timestamp)
          .thenComparing(Versioned::tombstone)
          .thenComparing(Versioned::value)
          .thenComparing(Versioned::context, Siblings::compareClocks);

  private final List<Versioned<Bytes>> versions;

  /** A total order on clocks (by their entries, in actor order), only for deterministic ties. */
  private static int compareClocks(VectorClock a, VectorClock b) {
    var ia = a.counters().entrySet().iterator();
    var ib = b.counters().entrySet().iterator();
    while (ia.hasNext() && ib.hasNext()) {
      var ea = ia.next();
      var eb = ib.next();
      int c = ea.getKey().compareTo(eb.getKey());
      if (c != 0) {
        return c;
      }
      c = Long.compare(ea.getValue(), eb.getValue());
      if (c != 0) {
        return c;
      }
    }
    return Boolean.compare(ia.hasNext(), ib.hasNext());
  }

  private Siblings(List<Versioned<Bytes>> sortedReconciled) {
    this.versions = sortedReconciled;
  }

  public static Siblings empty() {
    return EMPTY;
  }

  /** Reconciles any collection of versions: drops the duplicates and the superseded ones. */
  public static Siblings of(Collection<Versioned<Bytes>> versions) {
    if (versions.isEmpty()) {
      return EMPTY;
    }
    TreeMap<Dot, Versioned<Bytes>> byDot = new TreeMap<>();
    for (Versioned<Bytes> v : versions) {
      // Same dot means same write; pick deterministically should two ever disagree.
      byDot.merge(v.dot(), v, (a, b) -> SAME_DOT_TIEBREAK.compare(a, b) >= 0 ? a : b);
    }
    List<Versioned<Bytes>> kept = new ArrayList<>(byDot.size());
    for (Versioned<Bytes> candidate : byDot.values()) {
      boolean superseded = false;
      for (Versioned<Bytes> other : byDot.values()) {
        if (other != candidate && other.supersedes(candidate)) {
          superseded = true;
          break;
        }
      }
      if (!superseded) {
        kept.add(candidate);
      }
    }
    return new Siblings(List.copyOf(kept));
  }

  @SafeVarargs
  public static Siblings of(Versioned<Bytes>... versions) {
    return of(List.of(versions));
  }

  /** This set with {@code version} added: it replaces what its context covers, or is dropped if
   * already present or already superseded. */
  public Siblings add(Versioned<Bytes> version) {
    List<Versioned<Bytes>> all = new ArrayList<>(versions.size() + 1);
    all.addAll(versions);
    all.add(version);
    return of(all);
  }

  /** The union of two sets, reconciled: what a replica holds after it has seen both. */
  public Siblings merge(Siblings other) {
    if (other.versions.isEmpty() || other.equals(this)) {
      return this;
    }
    if (versions.isEmpty()) {
      return other;
    }
    List<Versioned<Bytes>> all = new ArrayList<>(versions.size() + other.versions.size());
    all.addAll(versions);
    all.addAll(other.versions);
    return of(all);
  }

  /** Every version kept, tombstones included, in dot order. */
  public List<Versioned<Bytes>> versions() {
    return versions;
  }

  /** The versions that are not tombstones. */
  public List<Versioned<Bytes>> live() {
    return versions.stream().filter(v -> !v.tombstone()).toList();
  }

  public boolean isEmpty() {
    return versions.isEmpty();
  }

  public int size() {
    return versions.size();
  }

  /** True when there is at least one version and every version is a tombstone. */
  public boolean isDeleted() {
    return !versions.isEmpty() && versions.stream().allMatch(Versioned::tombstone);
  }

  /** The join of every version's clock: the causal context a reader of this set has seen. */
  public VectorClock clock() {
    VectorClock c = VectorClock.empty();
    for (Versioned<Bytes> v : versions) {
      c = c.merge(v.clock());
    }
    return c;
  }

  /** True when {@code other} holds nothing this set lacks: merging it would change nothing. */
  public boolean contains(Siblings other) {
    return merge(other).equals(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Siblings s && s.versions.equals(versions);
  }

  @Override
  public int hashCode() {
    return versions.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Siblings[");
    for (Versioned<Bytes> v : versions) {
      sb.append(v.dot()).append(v.tombstone() ? "†" : "").append(' ');
    }
    return sb.append(']').toString();
  }
}
