package io.ringkv.transport.netty;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Dot;
import io.ringkv.api.NodeId;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Seeded version histories for the codec tests: causal contexts, tombstones, odd bytes. */
public final class Versions {
  private Versions() {}

  public static Actor actor(String node, long epoch) {
    return new Actor(NodeId.of(node), epoch);
  }

  public static Versioned<Bytes> version(String value, Actor actor, long counter, VectorClock context,
      long timestamp) {
    return Versioned.of(Bytes.utf8(value), new Dot(actor, counter), context, timestamp);
  }

  /** A random history of writes by a few actors; each write saw a random subset of earlier ones. */
  public static List<Versioned<Bytes>> history(long seed) {
    Random random = new Random(seed);
    List<Actor> actors = new ArrayList<>();
    int n = 1 + random.nextInt(4);
    for (int i = 0; i < n; i++) {
      actors.add(actor("node-" + i + ":700" + i, random.nextInt(3) == 0
          ? Long.MAX_VALUE - random.nextInt(5) : random.nextInt(1 << 20)));
    }
    Map<Actor, Long> counters = new HashMap<>();
    List<Versioned<Bytes>> history = new ArrayList<>();
    int writes = 1 + random.nextInt(8);
    for (int i = 0; i < writes; i++) {
      Actor a = actors.get(random.nextInt(actors.size()));
      Dot dot = new Dot(a, counters.merge(a, 1L + random.nextInt(3), Long::sum));
      VectorClock context = VectorClock.empty();
      for (Versioned<Bytes> earlier : history) {
        if (random.nextBoolean() && !earlier.dot().actor().equals(a)) {
          context = context.merge(earlier.clock());
        }
      }
      boolean tombstone = random.nextInt(5) == 0;
      byte[] value = new byte[tombstone ? 0 : random.nextInt(64)];
      random.nextBytes(value);
      long timestamp = random.nextBoolean() ? random.nextLong() : 1_700_000_000_000L + i;
      history.add(new Versioned<>(Bytes.of(value), dot, context, timestamp, tombstone));
    }
    return history;
  }
}
