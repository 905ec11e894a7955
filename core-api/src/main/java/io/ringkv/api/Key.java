package io.ringkv.api;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** A key within a bucket. Buckets are namespaces with their own policy (n, r, w, resolver). */
public record Key(String bucket, String key) {
  private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9._\\-]{1,128}");

  public Key {
    if (bucket == null || !BUCKET.matcher(bucket).matches()) {
      throw new RingkvException(ErrorCode.INVALID_ARGUMENT, "bucket '" + bucket
          + "' is invalid: use 1 to 128 characters from letters, digits and . _ -");
    }
    if (key == null || key.isEmpty()) {
      throw new RingkvException(ErrorCode.INVALID_ARGUMENT, "key must not be empty");
    }
  }

  public static Key of(String bucket, String key) {
    return new Key(bucket, key);
  }

  /** The bytes the ring hashes: the bucket, a zero byte, the key, in UTF-8. */
  public byte[] routingBytes() {
    byte[] b = bucket.getBytes(StandardCharsets.UTF_8);
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[b.length + 1 + k.length];
    System.arraycopy(b, 0, out, 0, b.length);
    System.arraycopy(k, 0, out, b.length + 1, k.length);
    return out;
  }

  @Override
  public String toString() {
    return bucket + "/" + key;
  }
}
