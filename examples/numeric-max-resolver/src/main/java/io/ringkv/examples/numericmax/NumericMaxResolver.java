package io.ringkv.examples.numericmax;

import io.ringkv.api.Bytes;
import io.ringkv.api.MergeResolver;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code numeric-max}: each value is a decimal number written as UTF-8 text (a high score, a
 * version number, a watermark) and concurrent values merge into the greatest one.
 *
 * <p>A value is a number when its text, without leading and trailing white space, is accepted
 * by {@link BigDecimal#BigDecimal(String)}: {@code 42}, {@code -3.5}, {@code +7}, {@code 1e3}.
 * Numbers compare by value, so {@code 10} beats {@code 9} and {@code 1e3} beats {@code 999}.
 *
 * <p>Values that are not numbers never make the merge fail: a number always beats a
 * non-number, and among non-numbers the greatest by unsigned byte order wins. Values equal as
 * numbers but spelled differently ({@code 1.0} and {@code 1.00}) are also told apart by byte
 * order, the greatest winning. So the result is the maximum under one total order, which keeps
 * the merge commutative, associative and idempotent whatever the input.
 *
 * <p>As for every {@link MergeResolver}: versions that another version has seen take no part
 * (a score reset with the context of the old score sticks), and a tombstone loses to a
 * concurrent value.
 */
final class NumericMaxResolver extends MergeResolver {
  /** Numbers above non-numbers; numbers by value; ties, and non-numbers, by byte order. */
  static final Comparator<Bytes> ORDER = NumericMaxResolver::compare;

  @Override
  protected Bytes merge(List<Bytes> values) {
    return values.stream().max(ORDER).orElseThrow(
        () -> new IllegalArgumentException("numeric-max needs at least one value to merge"));
  }

  private static int compare(Bytes a, Bytes b) {
    Optional<BigDecimal> x = number(a);
    Optional<BigDecimal> y = number(b);
    if (x.isPresent() != y.isPresent()) {
      return x.isPresent() ? 1 : -1;
    }
    if (x.isPresent()) {
      int byValue = x.get().compareTo(y.get());
      if (byValue != 0) {
        return byValue;
      }
    }
    return a.compareTo(b);
  }

  /** The number a value holds, if it is one. */
  static Optional<BigDecimal> number(Bytes value) {
    String text = value.toUtf8().strip();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new BigDecimal(text));
    } catch (NumberFormatException notANumber) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return NumericMaxPlugin.RESOLVER_NAME;
  }
}
