package io.ringkv.testkit.resolver;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Dot;
import io.ringkv.api.NodeId;
import io.ringkv.api.Resolution;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Seeded random sibling sets shaped like real histories: a few actors (some nodes in a second
 * epoch) write one after another, each write's causal context being the join of the clocks of
 * a random subset of earlier writes (so some versions cover others and some are concurrent);
 * timestamps are drawn independently of causality from a narrow range (clock skew and ties);
 * about one write in five is a tombstone. A case is a random subset (two or more) of one history.
 */
final class SiblingSets {
  private static final long BASE_TIME = 1_700_000_000_000L;

  /** One generated case: every write of the history, and the subset handed to the resolver. */
  record Case(long seed, List<Versioned<Bytes>> history, List<Versioned<Bytes>> input) {}

  private SiblingSets() {}

  static Case generate(long seed, Function<Random, Bytes> values) {
    Random random = new Random(seed);
    List<Actor> actors = actors(random);
    Map<Actor, Long> counters = new HashMap<>();
    int writes = 2 + random.nextInt(7);
    List<Versioned<Bytes>> history = new ArrayList<>(writes);
    for (int i = 0; i < writes; i++) {
      Actor actor = actors.get(random.nextInt(actors.size()));
      Dot dot = new Dot(actor, counters.merge(actor, 1L, Long::sum));
      VectorClock context = VectorClock.empty();
      for (Versioned<Bytes> earlier : history) {
        if (random.nextInt(100) < 35) {
          context = context.merge(earlier.clock());
        }
      }
      long timestamp = BASE_TIME + random.nextInt(30);
      boolean tombstone = random.nextInt(5) == 0;
      Bytes value = tombstone ? Bytes.EMPTY : values.apply(random);
      history.add(new Versioned<>(value, dot, context, timestamp, tombstone));
    }
    List<Versioned<Bytes>> input = new ArrayList<>(history);
    Collections.shuffle(input, random);
    int size = 2 + random.nextInt(history.size() - 1);
    return new Case(seed, List.copyOf(history), List.copyOf(input.subList(0, size)));
  }

  private static List<Actor> actors(Random random) {
    int nodes = 2 + random.nextInt(3);
    List<Actor> actors = new ArrayList<>(nodes + 1);
    for (int i = 1; i <= nodes; i++) {
      actors.add(new Actor(NodeId.of("n" + i), 0));
    }
    if (random.nextInt(3) == 0) {
      actors.add(new Actor(NodeId.of("n1"), 1)); // n1 again, after losing its disk
    }
    return actors;
  }

  /** The versions of {@code input} that another version of {@code input} has seen. */
  static List<Versioned<Bytes>> covered(List<Versioned<Bytes>> input) {
    List<Versioned<Bytes>> covered = new ArrayList<>();
    for (Versioned<Bytes> v : input) {
      for (Versioned<Bytes> other : input) {
        if (!other.dot().equals(v.dot()) && other.supersedes(v)) {
          covered.add(v);
          break;
        }
      }
    }
    return covered;
  }

  /** A readable account of a resolution for assertion messages. */
  static String describe(Resolution r) {
    if (r instanceof Resolution.Keep keep) {
      return "Keep" + describe(keep.versions());
    }
    if (r instanceof Resolution.Merged m) {
      return "Merged[" + (m.tombstone() ? "TOMBSTONE" : "value='" + text(m.value()) + "'")
          + " ts=" + (m.timestamp() - BASE_TIME) + "]";
    }
    return String.valueOf(r);
  }

  private static String text(Bytes value) {
    String text = value.toUtf8().replace("\n", "\\n");
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }

  /** A readable account of a case for assertion messages (values as UTF-8, cut short). */
  static String describe(List<Versioned<Bytes>> versions) {
    StringBuilder sb = new StringBuilder();
    for (Versioned<Bytes> v : versions) {
      sb.append("\n  ").append(v.dot()).append(" ctx=").append(v.context())
          .append(" ts=").append(v.timestamp() - BASE_TIME)
          .append(v.tombstone() ? " TOMBSTONE" : " value='" + text(v.value()) + "'");
    }
    return sb.toString();
  }
}
