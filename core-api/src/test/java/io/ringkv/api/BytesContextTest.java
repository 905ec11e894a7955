package io.ringkv.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.Generate.byteArrays;
import static org.quicktheories.generators.Generate.bytes;
import static org.quicktheories.generators.Generate.range;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BytesContextTest {

  @Test
  void contextsRoundTripThroughTheirWireForm() {
    qt().withFixedSeed(0xb64L).withExamples(500)
        .forAll(byteArrays(range(0, 80), bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0)))
        .checkAssert(raw -> {
          Context c = new Context(Bytes.of(raw));
          String wire = c.encoded();
          assertThat(wire).matches("[A-Za-z0-9_-]*");
          assertThat(Context.parse(wire)).isEqualTo(c);
          assertThat(Bytes.fromBase64(c.token().toBase64())).isEqualTo(c.token());
          assertThat(Context.parse(wire).isEmpty()).isEqualTo(raw.length == 0);
        });
  }

  @Test
  void copyToWritesTheBytesAtTheOffsetAndLeavesTheRest() {
    Bytes b = Bytes.of(new byte[] {1, 2, 3});
    byte[] dest = {9, 9, 9, 9, 9, 9};

    b.copyTo(dest, 2);

    assertThat(dest).containsExactly(9, 9, 1, 2, 3, 9);
    assertThatThrownBy(() -> b.copyTo(dest, 4)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(dest).as("nothing written when it does not fit").containsExactly(9, 9, 1, 2, 3, 9);
    Bytes.EMPTY.copyTo(dest, 6);
  }

  @Test
  void theEmptyContextIsEmptyOnTheWire() {
    assertThat(Context.EMPTY.encoded()).isEmpty();
    assertThat(Context.parse(null)).isEqualTo(Context.EMPTY);
    assertThat(Context.parse("")).isEqualTo(Context.EMPTY);
    assertThat(Context.parse("  ")).isEqualTo(Context.EMPTY);
  }

  @ParameterizedTest
  @ValueSource(strings = {"!!!", "a", "ab$d", "abc+-", "====", "a=b="})
  void garbageIsAnInvalidContext(String garbage) {
    assertThatThrownBy(() -> Context.parse(garbage))
        .isInstanceOfSatisfying(InvalidContextException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONTEXT))
        .hasMessageContaining("context is not base64url");
  }

  @Test
  void aContextNeedsAToken() {
    assertThatThrownBy(() -> new Context(null)).hasMessageContaining("must not be null");
  }

  @Test
  void bytesCopyOnTheWayInAndOut() {
    byte[] raw = {1, 2, 3};
    Bytes b = Bytes.of(raw);
    raw[0] = 9;
    b.toByteArray()[1] = 9;

    assertThat(b.toByteArray()).containsExactly(1, 2, 3);
    assertThat(Bytes.of(new byte[] {0, 1, 2, 3, 4}, 1, 3)).isEqualTo(b);
  }

  @Test
  void bytesCompareUnsignedAndHideTheirContent() {
    assertThat(Bytes.of(new byte[] {(byte) 0xff})).isGreaterThan(Bytes.of(new byte[] {1}));
    assertThat(Bytes.utf8("ab")).isGreaterThan(Bytes.utf8("a"));
    assertThat(Bytes.utf8("secret")).hasToString("Bytes[6]");
    assertThat(Bytes.utf8("")).isSameAs(Bytes.EMPTY);
    assertThat(Bytes.utf8("héllo").toUtf8()).isEqualTo("héllo");
  }
}
