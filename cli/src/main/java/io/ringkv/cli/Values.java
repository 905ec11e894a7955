package io.ringkv.cli;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** How the command line shows stored values, which are bytes. */
final class Values {
  private Values() {
  }

  /** The bytes as text when they are valid UTF-8, else null. */
  static String textOrNull(byte[] value) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Adds {@code "value": "<text>"} for UTF-8 values, {@code "valueBase64": "..."} for others. */
  static void putJson(Map<String, Object> into, byte[] value) {
    String text = textOrNull(value);
    if (text != null) {
      into.put("value", text);
    } else {
      into.put("valueBase64", Base64.getEncoder().encodeToString(value));
    }
  }

  /** One line: the value as a quoted JSON string when it is UTF-8, else {@code base64:...}. */
  static String oneLine(byte[] value) {
    String text = textOrNull(value);
    return text != null ? Json.quote(text) : "base64:" + Base64.getEncoder().encodeToString(value);
  }

  /** A byte count for people: {@code 512 B}, {@code 1.5 KiB}, {@code 3.2 MiB}, {@code 1.0 GiB}. */
  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
  }

  /** An age for people: {@code 850 ms}, {@code 12 s}, {@code 4 min}, {@code 2 h}. */
  static String age(long millis) {
    if (millis < 1_000) {
      return millis + " ms";
    }
    if (millis < 120_000) {
      return millis / 1_000 + " s";
    }
    if (millis < 2 * 3_600_000) {
      return millis / 60_000 + " min";
    }
    return millis / 3_600_000 + " h";
  }
}
