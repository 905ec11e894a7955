package io.ringkv.api;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable vector clock: for each actor, the highest counter seen and the wall-clock time
 * (ms) at which that entry last advanced. The time only serves pruning (oldest entry first);
 * order, equality and coverage look at counters alone.
 *
 * <p>A clock read as a causal context means "every dot of actor a up to counter c has been
 * seen": {@link #covers(Dot)}.
 */
public record VectorClock(SortedMap<Actor, Entry> entries) implements Version {
  private static final VectorClock EMPTY = new VectorClock(new TreeMap<>());

  /** One actor's entry: its highest counter and when it last advanced. */
  public record Entry(long counter, long timestamp) {
    public Entry {
      if (counter <= 0) {
        throw new IllegalArgumentException("clock counter must be > 0, was " + counter);
      }
    }
  }

  public VectorClock {
    entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
  }

  public static VectorClock empty() {
    return EMPTY;
  }

  /** A clock of counters alone (timestamps 0): handy in tests and examples. */
  public static VectorClock ofCounters(Map<Actor, Long> counters) {
    TreeMap<Actor, Entry> m = new TreeMap<>();
    counters.forEach((a, c) -> m.put(a, new Entry(c, 0L)));
    return new VectorClock(m);
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  public int size() {
    return entries.size();
  }

  /** The counter for {@code actor}, 0 when the clock has no entry for it. */
  public long counter(Actor actor) {
    Entry e = entries.get(actor);
    return e == null ? 0L : e.counter();
  }

  /** True when this clock, read as a causal context, has seen the write {@code dot}. */
  public boolean covers(Dot dot) {
    return counter(dot.actor()) >= dot.counter();
  }

  /** This clock advanced to include {@code dot}, stamped with {@code timestamp}. */
  public VectorClock with(Dot dot, long timestamp) {
    Entry old = entries.get(dot.actor());
    if (old != null && old.counter() >= dot.counter()) {
      return this;
    }
    TreeMap<Actor, Entry> m = new TreeMap<>(entries);
    m.put(dot.actor(), new Entry(dot.counter(), timestamp));
    return new VectorClock(m);
  }

  /** Classic increment: the next counter for {@code actor}. */
  public VectorClock incremented(Actor actor, long timestamp) {
    return with(new Dot(actor, counter(actor) + 1), timestamp);
  }

  /** The least upper bound of two clocks: pointwise max (the later timestamp on ties). */
  public VectorClock merge(VectorClock other) {
    if (other.entries.isEmpty()) {
      return this;
    }
    if (entries.isEmpty()) {
      return other;
    }
    TreeMap<Actor, Entry> m = new TreeMap<>(entries);
    other.entries.forEach((actor, theirs) -> m.merge(actor, theirs, VectorClock::later));
    return new VectorClock(m);
  }

  private static Entry later(Entry a, Entry b) {
    if (a.counter() != b.counter()) {
      return a.counter() > b.counter() ? a : b;
    }
    return a.timestamp() >= b.timestamp() ? a : b;
  }

  /** True when every counter of {@code other} is at most this clock's: this has seen all of it. */
  public boolean descends(VectorClock other) {
    for (Map.Entry<Actor, Entry> e : other.entries.entrySet()) {
      if (counter(e.getKey()) < e.getValue().counter()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public Occurred compare(Version other) {
    VectorClock o = (VectorClock) other; // Version is sealed: VectorClock is its only kind
    boolean geq = descends(o);
    boolean leq = o.descends(this);
    if (geq && leq) {
      return Occurred.EQUAL;
    }
    if (geq) {
      return Occurred.AFTER;
    }
    return leq ? Occurred.BEFORE : Occurred.CONCURRENT;
  }

  /** Counters only, for display ({@code {"n1#0": 2}}) and equality. */
  public SortedMap<Actor, Long> counters() {
    TreeMap<Actor, Long> m = new TreeMap<>();
    entries.forEach((a, e) -> m.put(a, e.counter()));
    return Collections.unmodifiableSortedMap(m);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof VectorClock other) || other.entries.size() != entries.size()) {
      return false;
    }
    for (Map.Entry<Actor, Entry> e : entries.entrySet()) {
      if (other.counter(e.getKey()) != e.getValue().counter()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return counters().hashCode();
  }

  @Override
  public String toString() {
    return counters().toString();
  }
}
