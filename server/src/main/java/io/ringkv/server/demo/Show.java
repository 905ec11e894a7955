package io.ringkv.server.demo;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.GetResult;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import io.ringkv.versioning.ContextCodec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** How the demo prints values, contexts and sibling sets: short, one line each. */
final class Show {
  private static final int TOKEN_ENDS = 6;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  private Show() {}

  /** A value as text: quoted, line breaks shown as commas for the cart's items. */
  static String value(Bytes value) {
    return "\"" + value.toUtf8().replace("\n", ", ") + "\"";
  }

  /** The token abbreviated (its two ends), and the clock it carries as node:counter pairs. */
  static String context(Context context) {
    if (context.isEmpty()) {
      return "(empty)";
    }
    String token = context.encoded();
    String shortToken = token.length() <= 2 * TOKEN_ENDS + 2 ? token
        : token.substring(0, TOKEN_ENDS) + ".." + token.substring(token.length() - TOKEN_ENDS);
    return shortToken + " " + clock(ContextCodec.decode(context));
  }

  static String clock(VectorClock clock) {
    StringJoiner j = new StringJoiner(", ", "{", "}");
    for (Map.Entry<Actor, Long> e : clock.counters().entrySet()) {
      j.add(e.getKey().node().value() + ":" + e.getValue());
    }
    return j.toString();
  }

  /** What a get returned: "not found", one value, or the siblings. */
  static String result(GetResult result) {
    if (!result.isFound()) {
      return "not found";
    }
    if (!result.hasConflict()) {
      return value(result.value());
    }
    return result.siblings().size() + " siblings " + values(result.siblings());
  }

  static String values(List<Versioned<Bytes>> versions) {
    StringJoiner j = new StringJoiner(" | ", "[", "]");
    versions.forEach(v -> j.add(v.tombstone() ? "(deleted)" : value(v.value())));
    return j.toString();
  }

  /** What one replica holds: each version with its dot's node and its time. */
  static String held(Siblings siblings) {
    if (siblings.isEmpty()) {
      return "nothing";
    }
    StringJoiner j = new StringJoiner(" | ");
    for (Versioned<Bytes> v : siblings.versions()) {
      j.add((v.tombstone() ? "(deleted)" : value(v.value())) + " written via "
          + v.dot().actor().node() + " at " + time(v.timestamp()));
    }
    return j.toString();
  }

  static String time(long millis) {
    return TIME.format(Instant.ofEpochMilli(millis));
  }
}
