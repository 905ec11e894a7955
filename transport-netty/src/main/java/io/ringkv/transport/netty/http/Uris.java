package io.ringkv.transport.netty.http;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.RingkvException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** URL path segments, decoded strictly: {@code %XX} escapes of UTF-8, {@code +} stays a plus. */
final class Uris {
  private Uris() {}

  /** Decodes one path segment; a bad escape or invalid UTF-8 is a 400 naming {@code what}. */
  static String decodeSegment(String raw, String what) {
    if (raw.indexOf('%') < 0 && raw.chars().allMatch(c -> c < 0x80)) {
      return raw;
    }
    byte[] out = new byte[raw.length()];
    int n = 0;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
        int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
        if (lo < 0) {
          throw bad(what, raw, "'%' at index " + i + " is not followed by two hex digits");
        }
        out[n++] = (byte) ((hi << 4) | lo);
        i += 2;
      } else if (c <= 0xff) {
        // ASCII, or a raw byte of unescaped UTF-8 (Netty reads the request line as ISO-8859-1)
        out[n++] = (byte) c;
      } else {
        throw bad(what, raw, "character U+" + Integer.toHexString(c) + " must be %-escaped UTF-8");
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(out, 0, n)).toString();
    } catch (CharacterCodingException e) {
      throw bad(what, raw, "the escapes are not valid UTF-8");
    }
  }

  private static RingkvException bad(String what, String raw, String why) {
    return new RingkvException(ErrorCode.INVALID_ARGUMENT, "bad URI encoding in the " + what
        + " '" + abbreviate(raw) + "': " + why);
  }

  /** At most 64 characters of {@code s}, for echoing client input in an error. */
  static String abbreviate(String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= 64 ? s : s.substring(0, 61) + "...";
  }
}
