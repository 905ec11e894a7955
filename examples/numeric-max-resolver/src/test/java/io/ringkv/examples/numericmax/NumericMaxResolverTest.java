package io.ringkv.examples.numericmax;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Dot;
import io.ringkv.api.NodeId;
import io.ringkv.api.Resolution;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NumericMaxResolverTest {
  private final NumericMaxResolver resolver = new NumericMaxResolver();

  private static Dot dot(String node, long counter) {
    return new Dot(new Actor(NodeId.of(node), 0), counter);
  }

  private static Versioned<Bytes> score(String value, String node, long timestamp) {
    return Versioned.of(Bytes.utf8(value), dot(node, 1), VectorClock.empty(), timestamp);
  }

  /** Resolves concurrent versions holding {@code values}, one per node. */
  private Resolution resolveConcurrent(String... values) {
    List<Versioned<Bytes>> versions = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      versions.add(score(values[i], "n" + (i + 1), 100 + i));
    }
    return resolver.resolve(versions);
  }

  @ParameterizedTest(name = "max({0}, {1}) = {2}")
  @CsvSource(delimiter = '|', value = {
      "9       | 10      | 10",
      "1e3     | 999     | 1e3",
      "-3.5    | -4      | -3.5",
      "0.1     | 0.09    | 0.1",
      "+7      | 6.99    | +7",
      "' 12 '  | 11      | ' 12 '",
      "1.0     | 1.00    | 1.00",
      "1       | 1.0     | 1.0",
      "n/a     | -1000   | -1000",
      "''      | 0       | 0",
      "abc     | abd     | abd",
      "1e99999999999 | 1 | 1",
      "12345678901234567890.5 | 12345678901234567890.4 | 12345678901234567890.5",
  })
  void mergesToTheGreatestWhateverTheOrder(String a, String b, String expected) {
    Resolution expectedResolution = new Resolution.Merged(Bytes.utf8(expected), 101, false);

    assertThat(resolveConcurrent(a, b)).isEqualTo(expectedResolution);
    assertThat(resolveConcurrent(b, a)).isEqualTo(expectedResolution);
  }

  @Test
  void theLatestTimestampStampsTheMergedValue() {
    assertThat(resolveConcurrent("50", "70", "60"))
        .isEqualTo(new Resolution.Merged(Bytes.utf8("70"), 102, false));
  }

  @Test
  void aResetThatSawTheOldScoreSticks() {
    Versioned<Bytes> high = score("900", "n1", 100);
    Versioned<Bytes> reset = new Versioned<>(Bytes.utf8("0"), dot("n2", 1),
        VectorClock.ofCounters(Map.of(dot("n1", 1).actor(), 1L)), 200, false);

    assertThat(resolver.resolve(List.of(high, reset)))
        .isEqualTo(new Resolution.Keep(List.of(reset)));
  }

  @Test
  void aConcurrentDeleteLosesToAScore() {
    Versioned<Bytes> delete = new Versioned<>(Bytes.EMPTY, dot("n1", 1), VectorClock.empty(),
        300, true);

    assertThat(resolver.resolve(List.of(delete, score("5", "n2", 100), score("8", "n3", 200))))
        .isEqualTo(new Resolution.Merged(Bytes.utf8("8"), 300, false));
  }

  @Test
  void aSingleVersionIsKept() {
    Versioned<Bytes> only = score("42", "n1", 1);

    assertThat(resolver.resolve(List.of(only))).isEqualTo(new Resolution.Keep(List.of(only)));
  }

  @Test
  void bytesThatAreNotUtf8AreANonNumberNotACrash() {
    Versioned<Bytes> garbage = Versioned.of(Bytes.of(new byte[] {(byte) 0xff, '1'}), dot("n1", 1),
        VectorClock.empty(), 1);

    assertThat(resolver.resolve(List.of(garbage, score("-1", "n2", 2))))
        .isEqualTo(new Resolution.Merged(Bytes.utf8("-1"), 2, false));
  }
}
