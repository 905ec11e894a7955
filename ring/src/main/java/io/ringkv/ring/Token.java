package io.ringkv.ring;

import io.ringkv.api.Key;
import java.util.Objects;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * A position on the ring: a 64-bit hash read as an unsigned number, so the ring runs clockwise
 * from {@code 0x0000000000000000} to {@code 0xFFFFFFFFFFFFFFFF} and wraps. Tokens compare
 * unsigned, in that clockwise order.
 */
public record Token(long value) implements Comparable<Token> {

  /**
   * The token of a key: the first 64 bits of Murmur3 x64 128-bit (seed 0, commons-codec's
   * {@link MurmurHash3#hash128x64(byte[])}) of {@link Key#routingBytes()}. Every node and client
   * must agree on this function; changing it moves every key.
   */
  public static Token of(Key key) {
    Objects.requireNonNull(key, "key");
    return new Token(MurmurHash3.hash128x64(key.routingBytes())[0]);
  }

  @Override
  public int compareTo(Token other) {
    return Long.compareUnsigned(value, other.value);
  }

  @Override
  public String toString() {
    return "Token[" + Long.toUnsignedString(value) + "]";
  }
}
