package io.ringkv.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * An immutable byte string: values, keys on the wire, opaque tokens. Copies on the way in and
 * on the way out, so no caller can change a stored value; compares by content.
 */
public final class Bytes implements Comparable<Bytes> {
  public static final Bytes EMPTY = new Bytes(new byte[0]);

  private final byte[] bytes;

  private Bytes(byte[] bytes) {
    this.bytes = bytes;
  }

  public static Bytes of(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new Bytes(bytes.clone());
  }

  public static Bytes of(byte[] bytes, int offset, int length) {
    return length == 0 ? EMPTY : new Bytes(Arrays.copyOfRange(bytes, offset, offset + length));
  }

  public static Bytes utf8(String text) {
    return text.isEmpty() ? EMPTY : new Bytes(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Decodes standard or URL-safe base64; throws {@link IllegalArgumentException} on garbage. */
  public static Bytes fromBase64(String base64) {
    String s = base64.trim();
    return of(s.indexOf('-') >= 0 || s.indexOf('_') >= 0
        ? Base64.getUrlDecoder().decode(s) : Base64.getDecoder().decode(s));
  }

  public int length() {
    return bytes.length;
  }

  public boolean isEmpty() {
    return bytes.length == 0;
  }

  public byte byteAt(int index) {
    return bytes[index];
  }

  public byte[] toByteArray() {
    return bytes.clone();
  }

  /**
   * Copies the bytes into {@code dest} from {@code destOffset}, without the intermediate copy
   * {@link #toByteArray()} makes (encoders writing a value into a larger buffer).
   *
   * @throws IndexOutOfBoundsException when they do not fit
   */
  public void copyTo(byte[] dest, int destOffset) {
    System.arraycopy(bytes, 0, dest, destOffset, bytes.length);
  }

  public String toUtf8() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  public String toBase64() {
    return Base64.getEncoder().encodeToString(bytes);
  }

  public String toBase64Url() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public int compareTo(Bytes o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  /** Short, log-safe description: the length, never the content. */
  @Override
  public String toString() {
    return "Bytes[" + bytes.length + "]";
  }
}
