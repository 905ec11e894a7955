package io.ringkv.resolver;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Dot;
import io.ringkv.api.NodeId;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import java.util.Map;
import java.util.TreeMap;

/** Handmade versions for tests: {@code V.live("x", dot("a", 1), 100, dot("b", 2))}. */
final class V {
  private V() {}

  static Actor actor(String node) {
    return new Actor(NodeId.of(node), 0);
  }

  static Dot dot(String node, long counter) {
    return new Dot(actor(node), counter);
  }

  /** A context that has seen every dot up to each given one. */
  static VectorClock seen(Dot... dots) {
    Map<Actor, Long> counters = new TreeMap<>();
    for (Dot d : dots) {
      counters.merge(d.actor(), d.counter(), Math::max);
    }
    return VectorClock.ofCounters(counters);
  }

  static Versioned<Bytes> live(String value, Dot dot, long timestamp, Dot... seen) {
    return new Versioned<>(Bytes.utf8(value), dot, seen(seen), timestamp, false);
  }

  static Versioned<Bytes> tombstone(Dot dot, long timestamp, Dot... seen) {
    return new Versioned<>(Bytes.EMPTY, dot, seen(seen), timestamp, true);
  }
}
