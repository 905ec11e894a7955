package io.ringkv.cli;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations as typed on a command line: {@code 250ms}, {@code 10s}, {@code 1m}, {@code 2h}, {@code 10} (seconds). */
public final class Durations {
  private Durations() {
  }

  /**
   * Reads a duration.
   *
   * @throws IllegalArgumentException naming the text and the accepted forms
   */
  public static Duration parse(String text) {
    String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    int split = 0;
    while (split < s.length() && (Character.isDigit(s.charAt(split)) || s.charAt(split) == '.')) {
      split++;
    }
    String number = s.substring(0, split);
    String unit = s.substring(split).trim();
    double amount;
    try {
      amount = Double.parseDouble(number);
    } catch (NumberFormatException e) {
      throw bad(text);
    }
    long nanosPerUnit;
    switch (unit) {
      case "ms": nanosPerUnit = 1_000_000L; break;
      case "": case "s": nanosPerUnit = 1_000_000_000L; break;
      case "m": case "min": nanosPerUnit = 60_000_000_000L; break;
      case "h": nanosPerUnit = 3_600_000_000_000L; break;
      default: throw bad(text);
    }
    double nanos = amount * nanosPerUnit;
    if (nanos > Long.MAX_VALUE / 2.0) {
      throw bad(text);
    }
    return Duration.ofNanos(Math.round(nanos));
  }

  /** {@code 1.5 s} (one decimal), or {@code 250 ms} below one second. */
  public static String format(Duration d) {
    long millis = d.toMillis();
    if (millis < 1000) {
      return millis + " ms";
    }
    return String.format(Locale.ROOT, "%.1f s", d.toNanos() / 1e9);
  }

  private static IllegalArgumentException bad(String text) {
    return new IllegalArgumentException("expected a duration such as 500ms, 10s, 1m or 2h, got '"
        + text + "'");
  }

  /** picocli: options that take a duration. */
  public static final class Converter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
