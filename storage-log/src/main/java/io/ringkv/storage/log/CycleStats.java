package io.ringkv.storage.log;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Bytes per log file: all record bytes, and the live ones (records the index points to). Dead
 * bytes drive compaction. Not thread-safe; guarded with the index.
 */
final class CycleStats {
  private final TreeMap<Integer, long[]> byCycle = new TreeMap<>();

  void appended(int cycle, long bytes, boolean live) {
    long[] s = byCycle.computeIfAbsent(cycle, c -> new long[2]);
    s[0] += bytes;
    if (live) {
      s[1] += bytes;
    }
  }

  void superseded(int cycle, long bytes) {
    long[] s = byCycle.get(cycle);
    if (s != null) {
      s[1] -= bytes;
    }
  }

  void total(int cycle, long bytes) {
    byCycle.computeIfAbsent(cycle, c -> new long[2])[0] = bytes;
  }

  void live(int cycle, long bytes) {
    byCycle.computeIfAbsent(cycle, c -> new long[2])[1] += bytes;
  }

  void clearLive() {
    byCycle.values().forEach(s -> s[1] = 0);
  }

  void forget(int cycle) {
    byCycle.remove(cycle);
  }

  /** {@code [total, live]} over the cycles below {@code cycle}. */
  long[] below(int cycle) {
    long total = 0;
    long live = 0;
    for (long[] s : byCycle.headMap(cycle, false).values()) {
      total += s[0];
      live += s[1];
    }
    return new long[] {total, live};
  }

  /** {@code [cycle, total, live]} of each cycle below {@code cycle}, in order. */
  List<long[]> each(int cycle) {
    List<long[]> out = new ArrayList<>();
    byCycle.headMap(cycle, false).forEach((c, s) -> out.add(new long[] {c, s[0], s[1]}));
    return out;
  }

  /** Total bytes per cycle, a copy. */
  Map<Integer, Long> totals() {
    TreeMap<Integer, Long> copy = new TreeMap<>();
    byCycle.forEach((cycle, s) -> copy.put(cycle, s[0]));
    return copy;
  }
}
