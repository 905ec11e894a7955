package io.ringkv.api;

import java.time.Duration;

/**
 * Per-request overrides of the bucket's policy. {@code r} and {@code w} of 0 keep the bucket's
 * values; a {@code null} timeout keeps the node's default. Overrides must still satisfy the
 * quorum rule of {@link QuorumSpec}.
 */
public record RequestOptions(int r, int w, Duration timeout) {
  public static final RequestOptions DEFAULT = new RequestOptions(0, 0, null);

  public RequestOptions {
    if (r < 0 || w < 0) {
      throw new RingkvException(ErrorCode.INVALID_QUORUM,
          "r and w overrides must be positive, were r=" + r + ", w=" + w);
    }
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new RingkvException(ErrorCode.INVALID_ARGUMENT, "timeout must be positive, was " + timeout);
    }
  }

  public RequestOptions withR(int newR) {
    return new RequestOptions(newR, w, timeout);
  }

  public RequestOptions withW(int newW) {
    return new RequestOptions(r, newW, timeout);
  }

  public RequestOptions withTimeout(Duration newTimeout) {
    return new RequestOptions(r, w, newTimeout);
  }
}
