package io.ringkv.transport.netty.http;

import java.nio.charset.StandardCharsets;

/**
 * A minimal streaming JSON writer for the HTTP API's small bodies: objects, arrays, strings,
 * integers, booleans. Commas are placed for the caller; strings are escaped per RFC 8259 (quote,
 * backslash and control characters; also U+2028/U+2029 and unpaired surrogates as {@code \}u
 * escapes, so the output is valid UTF-8 and safe inside JavaScript). Misuse (a value where a
 * name is due, unbalanced ends) fails with {@link IllegalStateException}.
 */
final class JsonWriter {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final StringBuilder out = new StringBuilder(128);
  /** Per open container: '{' or '['. */
  private char[] stack = new char[8];
  /** Per open container: whether it already holds an element. */
  private boolean[] filled = new boolean[8];
  private int depth;
  private boolean nameWritten;
  private boolean done;

  JsonWriter beginObject() {
    beforeValue();
    out.append('{');
    push('{');
    return this;
  }

  JsonWriter endObject() {
    pop('{');
    out.append('}');
    return this;
  }

  JsonWriter beginArray() {
    beforeValue();
    out.append('[');
    push('[');
    return this;
  }

  JsonWriter endArray() {
    pop('[');
    out.append(']');
    return this;
  }

  JsonWriter name(String name) {
    if (depth == 0 || stack[depth - 1] != '{' || nameWritten) {
      throw new IllegalStateException("a name is only allowed directly inside an object");
    }
    comma();
    quote(name);
    out.append(':');
    nameWritten = true;
    return this;
  }

  JsonWriter value(String s) {
    if (s == null) {
      return nullValue();
    }
    beforeValue();
    quote(s);
    return this;
  }

  JsonWriter value(long n) {
    beforeValue();
    out.append(n);
    return this;
  }

  JsonWriter value(boolean b) {
    beforeValue();
    out.append(b);
    return this;
  }

  JsonWriter nullValue() {
    beforeValue();
    out.append("null");
    return this;
  }

  /** Shorthands for one member of an object. */
  JsonWriter field(String name, String value) {
    return name(name).value(value);
  }

  JsonWriter field(String name, long value) {
    return name(name).value(value);
  }

  JsonWriter field(String name, boolean value) {
    return name(name).value(value);
  }

  String toJson() {
    if (depth != 0 || !done) {
      throw new IllegalStateException("the JSON document is not complete (" + depth
          + " containers open)");
    }
    return out.toString();
  }

  byte[] toUtf8() {
    return toJson().getBytes(StandardCharsets.UTF_8);
  }

  /** {@code {"error": message}}: the body of every error the HTTP API returns. */
  static byte[] error(String message) {
    return new JsonWriter().beginObject().field("error", message).endObject().toUtf8();
  }

  private void beforeValue() {
    if (depth > 0) {
      if (stack[depth - 1] == '{') {
        if (!nameWritten) {
          throw new IllegalStateException("a value inside an object needs a name first");
        }
        nameWritten = false;
      } else {
        comma();
      }
      filled[depth - 1] = true;
    } else {
      if (done) {
        throw new IllegalStateException("the JSON document is already complete");
      }
      done = true; // a scalar document, or the outermost container (about to be opened)
    }
  }

  private void comma() {
    if (filled[depth - 1]) {
      out.append(',');
    }
  }

  private void push(char kind) {
    if (depth == stack.length) {
      stack = java.util.Arrays.copyOf(stack, depth * 2);
      filled = java.util.Arrays.copyOf(filled, depth * 2);
    }
    stack[depth] = kind;
    filled[depth] = false;
    depth++;
  }

  private void pop(char kind) {
    if (depth == 0 || stack[depth - 1] != kind || nameWritten) {
      throw new IllegalStateException("cannot close " + (kind == '{' ? "an object" : "an array")
          + " here");
    }
    depth--;
  }

  private void quote(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        case '\b':
          out.append("\\b");
          break;
        case '\f':
          out.append("\\f");
          break;
        default:
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            unicodeEscape(c);
          } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            out.append(c).append(s.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            unicodeEscape(c); // unpaired: keep it visible rather than turning it into '?'
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }

  private void unicodeEscape(char c) {
    out.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
        .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
  }
}
