package io.ringkv.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.Key;
import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.digest.MurmurHash3;
import org.junit.jupiter.api.Test;

class TokenTest {

  // Pinned: computed once with an independent Murmur3 x64 128 implementation (first 64 bits,
  // seed 0) of "bucket \0 key". A change of hash function or of the routing bytes moves every
  // key in a running cluster and must fail here.
  @Test
  void pinnedValues() {
    assertThat(Token.of(Key.of("users", "alice")).value()).isEqualTo(-3033734117929159040L);
    assertThat(Token.of(Key.of("b", "k")).value()).isEqualTo(0x8a83dddbdc359fe9L);
    assertThat(Token.of(Key.of("bucket", "a-much-longer-key-that-spans-blocks")).value())
        .isEqualTo(0xaf122af8163d975cL);
  }

  @Test
  void isTheFirstHalfOfCommonsCodecMurmur3OverTheRoutingBytes() {
    Key key = Key.of("photos", "2024/08/cat.jpg");
    byte[] bytes = "photos\0002024/08/cat.jpg".getBytes(StandardCharsets.UTF_8);
    assertThat(key.routingBytes()).isEqualTo(bytes);
    assertThat(Token.of(key).value()).isEqualTo(MurmurHash3.hash128x64(bytes)[0]);
  }

  @Test
  void commonsCodecMatchesThePublishedMurmur3Vector() {
    byte[] fox = "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8);
    assertThat(MurmurHash3.hash128x64(fox))
        .containsExactly(0xe34bbc7bbc071b6cL, 0x7a433ca9c49a9347L);
  }

  @Test
  void bucketAndKeyAreSeparated() {
    assertThat(Token.of(Key.of("ab", "c"))).isNotEqualTo(Token.of(Key.of("a", "bc")));
  }

  @Test
  void comparesUnsignedInClockwiseOrder() {
    Token zero = new Token(0);
    Token middle = new Token(Long.MAX_VALUE);
    Token upperHalf = new Token(Long.MIN_VALUE);
    Token last = new Token(-1L);
    assertThat(zero).isLessThan(middle);
    assertThat(middle).isLessThan(upperHalf);
    assertThat(upperHalf).isLessThan(last);
    assertThat(last.compareTo(new Token(-1L))).isZero();
    assertThat(last).hasToString("Token[18446744073709551615]");
  }

  @Test
  void refusesNull() {
    assertThatThrownBy(() -> Token.of(null)).isInstanceOf(NullPointerException.class);
  }
}
