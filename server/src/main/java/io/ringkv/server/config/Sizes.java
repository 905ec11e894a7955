package io.ringkv.server.config;

import java.time.Duration;
import java.util.Locale;

/** Sizes ({@code 64k}, {@code 256m}, {@code 1g}) and durations ({@code 500ms}, {@code 3h}) in configuration values. */
final class Sizes {
  private Sizes() {}

  /**
   * A size in bytes: a whole number with an optional suffix b, k, m or g (powers of 1024).
   *
   * @throws IllegalArgumentException when it is not one
   */
  static long parse(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    if (s.endsWith("b")) {
      s = s.substring(0, s.length() - 1);
    }
    if (s.endsWith("k")) {
      unit = 1L << 10;
    } else if (s.endsWith("m")) {
      unit = 1L << 20;
    } else if (s.endsWith("g")) {
      unit = 1L << 30;
    }
    if (unit > 1) {
      s = s.substring(0, s.length() - 1);
    }
    try {
      long n = Long.parseLong(s.trim());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return Math.multiplyExact(n, unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("'" + text.trim() + "' is not a size: write a whole "
          + "number of bytes, or one with a suffix k, m or g (64k, 256m, 1g)");
    }
  }

  /**
   * A duration: a whole number with a unit ms, s, m, h or d.
   *
   * @throws IllegalArgumentException when it is not one
   */
  static Duration duration(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    String[] units = {"ms", "s", "m", "h", "d"};
    for (String unit : units) {
      if (s.endsWith(unit) && s.length() > unit.length()
          && Character.isDigit(s.charAt(s.length() - unit.length() - 1))) {
        try {
          long n = Long.parseLong(s.substring(0, s.length() - unit.length()).trim());
          switch (unit) {
            case "ms":
              return Duration.ofMillis(n);
            case "s":
              return Duration.ofSeconds(n);
            case "m":
              return Duration.ofMinutes(n);
            case "h":
              return Duration.ofHours(n);
            default:
              return Duration.ofDays(n);
          }
        } catch (NumberFormatException e) {
          break;
        }
      }
    }
    throw new IllegalArgumentException("'" + text.trim() + "' is not a duration: write a whole "
        + "number with a unit ms, s, m, h or d (500ms, 90s, 3h)");
  }
}
