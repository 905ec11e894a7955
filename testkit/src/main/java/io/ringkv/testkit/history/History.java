package io.ringkv.testkit.history;

import io.ringkv.api.Bytes;
import io.ringkv.api.Dot;
import io.ringkv.api.Key;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What clients did and saw, for judging "lost" by history rather than by clock order. Every write
 * carries a unique value (its id); a delete is identified by its causal context. A write records
 * the dots of the versions its writer had read (empty for a blind write) and, once acknowledged,
 * its own dot. Thread-safe.
 */
public final class History {
  /** One write attempt. {@code dot} is null until acknowledged (or forever, if it failed). */
  public static final class Write {
    public final String id;
    public final Key key;
    public final boolean delete;
    public final VectorClock context;
    public final Set<Dot> read;
    volatile Dot dot;
    volatile Boolean acked;

    Write(String id, Key key, boolean delete, VectorClock context, Set<Dot> read) {
      this.id = id;
      this.key = key;
      this.delete = delete;
      this.context = context;
      this.read = Set.copyOf(read);
    }

    public Dot dot() {
      return dot;
    }

    public boolean acknowledged() {
      return Boolean.TRUE.equals(acked);
    }

    @Override
    public String toString() {
      return (delete ? "delete " : "put ") + id + " on " + key + (dot != null ? " as " + dot : "")
          + (acknowledged() ? " (acknowledged)" : acked == null ? " (pending)" : " (failed)");
    }
  }

  private final List<Write> writes = Collections.synchronizedList(new ArrayList<>());
  private final Map<Dot, String> liveSeen = Collections.synchronizedMap(new HashMap<>());
  private final Map<Key, Map<Dot, Versioned<Bytes>>> tombstonesSeen =
      Collections.synchronizedMap(new HashMap<>());
  private final Map<Key, List<Siblings>> reaped = Collections.synchronizedMap(new HashMap<>());

  /** Records a write about to be sent; {@code read} is what the writer read first. */
  public Write begin(String id, Key key, boolean delete, VectorClock context, Siblings read) {
    java.util.HashSet<Dot> dots = new java.util.HashSet<>();
    for (Versioned<Bytes> v : read.versions()) {
      dots.add(v.dot());
    }
    Write w = new Write(id, key, delete, context, dots);
    writes.add(w);
    return w;
  }

  /**
   * Records a write about to be sent whose writer saw only the versions with these dots (a write
   * made with the context an earlier put returned: it saw its own earlier write).
   */
  public Write begin(String id, Key key, boolean delete, VectorClock context, Set<Dot> read) {
    Write w = new Write(id, key, delete, context, read);
    writes.add(w);
    return w;
  }

  /**
   * The write was acknowledged; {@code after} is the context it returned. Its dot is what
   * {@code after} adds to the context sent, or unknown (null) when the store handed back only
   * what the writer had seen (it does when the new dot would claim more).
   */
  public void acknowledged(Write w, VectorClock after) {
    w.dot = dotOf(w.context, after);
    w.acked = true;
  }

  public void failed(Write w) {
    w.acked = false;
  }

  /**
   * A read returned these versions: remember which write each one is (a live version by its
   * value, a tombstone by its causal context, matched later against the deletes).
   */
  public void observed(Key key, Siblings read) {
    for (Versioned<Bytes> v : read.versions()) {
      if (v.tombstone()) {
        tombstonesSeen.computeIfAbsent(key, k -> Collections.synchronizedMap(new HashMap<>()))
            .put(v.dot(), v);
      } else {
        liveSeen.put(v.dot(), v.value().toUtf8());
      }
    }
  }

  /** A replica removed these tombstones (they took effect everywhere). */
  public void reaped(Key key, Siblings removed) {
    reaped.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>())).add(removed);
  }

  /**
   * The dots a write may have: the one its acknowledgement named; else, for a put, the one a
   * reader saw its value under, and for a delete, those of the tombstones readers saw made with
   * its context (the checker matches them the same way). Empty when none is known.
   */
  public Set<Dot> dotsOf(Write w) {
    if (w.dot() != null) {
      return Set.of(w.dot());
    }
    Set<Dot> out = new HashSet<>();
    if (w.delete) {
      for (Versioned<Bytes> t : tombstonesSeen(w.key).values()) {
        if (t.context().equals(w.context)) {
          out.add(t.dot());
        }
      }
    } else {
      synchronized (liveSeen) {
        for (Map.Entry<Dot, String> e : liveSeen.entrySet()) {
          if (e.getValue().equals(w.id)) {
            out.add(e.getKey());
          }
        }
      }
    }
    return out;
  }

  public List<Write> writes() {
    synchronized (writes) {
      return List.copyOf(writes);
    }
  }

  Map<Dot, String> liveSeen() {
    synchronized (liveSeen) {
      return Map.copyOf(liveSeen);
    }
  }

  Map<Dot, Versioned<Bytes>> tombstonesSeen(Key key) {
    Map<Dot, Versioned<Bytes>> m = tombstonesSeen.get(key);
    if (m == null) {
      return Map.of();
    }
    synchronized (m) {
      return Map.copyOf(m);
    }
  }

  List<Siblings> reapedOf(Key key) {
    List<Siblings> r = reaped.get(key);
    if (r == null) {
      return List.of();
    }
    synchronized (r) {
      return List.copyOf(r);
    }
  }

  /**
   * The dot of a write from the context it was sent with and the one it returned: the returned
   * context is the sent one advanced by exactly the new dot, or the sent one itself (null: the
   * dot is unknown, and the write is known by its value or, for a delete, its context).
   */
  static Dot dotOf(VectorClock sent, VectorClock returned) {
    Dot found = null;
    for (var e : returned.counters().entrySet()) {
      if (sent.counter(e.getKey()) != e.getValue()) {
        if (found != null) {
          throw new IllegalStateException("returned context " + returned + " differs from sent "
              + sent + " in more than one entry");
        }
        found = new Dot(e.getKey(), e.getValue());
      }
    }
    return found;
  }
}
