package io.ringkv.testkit.history;

import io.ringkv.api.Bytes;
import io.ringkv.api.Dot;
import io.ringkv.api.Key;
import io.ringkv.api.Siblings;
import io.ringkv.api.Versioned;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges a final state against a {@link History}, the way DESIGN.md defines "lost": an acknowledged
 * write is safe if it is among the final versions (or among tombstones every replica reaped), or
 * if a later write that is itself safe had read it before superseding it. A version that
 * "dominates" another by clock without its writer having read it is therefore caught.
 *
 * <p>Also checks that every final value is one some client wrote to that key, and that no version
 * a reaped tombstone superseded is back.
 */
public final class HistoryChecker {
  private HistoryChecker() {}

  /** Returns the violations found (empty when the history is safe). */
  public static List<String> check(History history, Map<Key, Siblings> finalState) {
    return check(history, finalState, Set.of());
  }

  /**
   * {@link #check(History, Map)}, where the acknowledged writes named in {@code destroyed} (by id)
   * may be missing: the test itself destroyed every copy of them (wiped the disks and hint stores
   * that held them), so no replica could bring them back. Nothing else is excused for them: they
   * make no earlier write safe, and a destroyed value that is back is still judged like any other.
   */
  public static List<String> check(History history, Map<Key, Siblings> finalState,
      Set<String> destroyed) {
    List<String> violations = new ArrayList<>();
    Map<Key, List<History.Write>> byKey = new HashMap<>();
    for (History.Write w : history.writes()) {
      byKey.computeIfAbsent(w.key, k -> new ArrayList<>()).add(w);
    }
    Map<Dot, String> liveSeen = history.liveSeen();
    Set<Key> keys = new HashSet<>(byKey.keySet());
    keys.addAll(finalState.keySet());
    for (Key key : keys) {
      List<History.Write> writes = byKey.getOrDefault(key, List.of());
      Siblings fin = finalState.getOrDefault(key, Siblings.empty());
      checkKey(key, writes, fin, history.reapedOf(key), liveSeen, history.tombstonesSeen(key),
          destroyed, violations);
    }
    return violations;
  }

  /** For each final version: its context, its writer and what that writer had read. */
  private static String explain(Siblings fin, List<History.Write> writes,
      Map<Dot, Set<History.Write>> owners) {
    StringBuilder sb = new StringBuilder();
    for (Versioned<Bytes> v : fin.versions()) {
      sb.append("\n    final ").append(v.dot()).append(" ctx=").append(v.context())
          .append(" owners=").append(owners.get(v.dot()));
      for (History.Write w : owners.getOrDefault(v.dot(), Set.of())) {
        sb.append("\n      read ").append(w.read).append(" sentctx=").append(w.context);
      }
    }
    return sb.toString();
  }

  private static void checkKey(Key key, List<History.Write> writes, Siblings fin,
      List<Siblings> reaped, Map<Dot, String> liveSeen, Map<Dot, Versioned<Bytes>> tombstonesSeen,
      Set<String> destroyed, List<String> violations) {
    Map<String, History.Write> byId = new HashMap<>();
    for (History.Write w : writes) {
      byId.put(w.id, w);
    }
    // Which writes each dot may belong to.
    Map<Dot, Set<History.Write>> owners = new HashMap<>();
    List<Versioned<Bytes>> everything = new ArrayList<>(fin.versions());
    reaped.forEach(s -> everything.addAll(s.versions()));
    for (History.Write w : writes) {
      if (w.dot() != null) {
        owners.computeIfAbsent(w.dot(), d -> new HashSet<>()).add(w);
      }
    }
    liveSeen.forEach((dot, id) -> {
      History.Write w = byId.get(id);
      if (w != null && !w.delete) {
        owners.computeIfAbsent(dot, d -> new HashSet<>()).add(w);
      }
    });
    for (Versioned<Bytes> v : everything) {
      if (!v.tombstone()) {
        History.Write w = byId.get(v.value().toUtf8());
        if (w == null || w.delete) {
          violations.add(key + ": final value '" + v.value().toUtf8() + "' " + v.dot()
              + " was never written to this key");
        } else {
          owners.computeIfAbsent(v.dot(), d -> new HashSet<>()).add(w);
        }
      }
    }
    // Tombstones in the final state, reaped, or seen by readers: match each to its delete.
    Map<Dot, Versioned<Bytes>> tombstones = new HashMap<>(tombstonesSeen);
    for (Versioned<Bytes> v : everything) {
      if (v.tombstone()) {
        tombstones.put(v.dot(), v);
      }
    }
    for (Versioned<Bytes> t : tombstones.values()) {
      if (!owners.containsKey(t.dot())) {
        for (History.Write w : writes) {
          if (w.delete && w.dot() == null && w.context.equals(t.context())) {
            owners.computeIfAbsent(t.dot(), d -> new HashSet<>()).add(w);
          }
        }
      }
    }
    // Safe: present at the end (or reaped), or read by a safe write. Least fixpoint.
    Set<History.Write> safe = new HashSet<>();
    Deque<History.Write> work = new ArrayDeque<>();
    for (Versioned<Bytes> v : everything) {
      for (History.Write w : owners.getOrDefault(v.dot(), Set.of())) {
        if (safe.add(w)) {
          work.add(w);
        }
      }
    }
    while (!work.isEmpty()) {
      History.Write w = work.poll();
      for (Dot d : w.read) {
        for (History.Write earlier : owners.getOrDefault(d, Set.of())) {
          if (safe.add(earlier)) {
            work.add(earlier);
          }
        }
      }
    }
    // A deleted version must never come back once its tombstone was reaped.
    for (Siblings gone : reaped) {
      for (Versioned<Bytes> t : gone.versions()) {
        for (Versioned<Bytes> v : fin.versions()) {
          if (t.tombstone() && t.context().covers(v.dot())) {
            violations.add(key + ": " + v.dot() + " came back after the tombstone " + t.dot()
                + " that superseded it was reaped");
          }
        }
      }
    }
    for (History.Write w : writes) {
      if (w.acknowledged() && !safe.contains(w) && !destroyed.contains(w.id)) {
        violations.add(key + ": acknowledged " + w + " is lost: not in the final versions "
            + fin + " and no surviving write read it" + explain(fin, writes, owners));
      }
    }
  }
}
