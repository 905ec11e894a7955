package io.ringkv.api;

import java.time.Duration;

/**
 * Per-request overrides of the bucket's policy. {@code r} and {@code w} of 0 keep the bucket's
 * values; {@code pr} and {@code pw} (Riak's: how many of the answers or acknowledgements must come
 * from the key's primaries, not from fall-backs standing in for them) of 0 ask for none; a
 * {@code null} timeout keeps the node's default. Overrides must still satisfy the quorum rule of
 * {@link QuorumSpec}, and {@code pr}, {@code pw} may not exceed {@code n}.
 */
public record RequestOptions(int r, int w, int pr, int pw, Duration timeout) {
  public static final RequestOptions DEFAULT = new RequestOptions(0, 0, 0, 0, null);

  public RequestOptions {
    if (r < 0 || w < 0) {
      throw new RingkvException(ErrorCode.INVALID_QUORUM,
          "r and w overrides must be positive, were r=" + r + ", w=" + w);
    }
    if (pr < 0 || pw < 0) {
      throw new RingkvException(ErrorCode.INVALID_QUORUM,
          "pr and pw must be 0 or more, were pr=" + pr + ", pw=" + pw);
    }
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new RingkvException(ErrorCode.INVALID_ARGUMENT, "timeout must be positive, was " + timeout);
    }
  }

  /** Overrides of r, w and the timeout only (no primaries required). */
  public RequestOptions(int r, int w, Duration timeout) {
    this(r, w, 0, 0, timeout);
  }

  public RequestOptions withR(int newR) {
    return new RequestOptions(newR, w, pr, pw, timeout);
  }

  public RequestOptions withW(int newW) {
    return new RequestOptions(r, newW, pr, pw, timeout);
  }

  /** Primaries that must answer a read. */
  public RequestOptions withPr(int newPr) {
    return new RequestOptions(r, w, newPr, pw, timeout);
  }

  /** Primaries that must acknowledge a write. */
  public RequestOptions withPw(int newPw) {
    return new RequestOptions(r, w, pr, newPw, timeout);
  }

  public RequestOptions withTimeout(Duration newTimeout) {
    return new RequestOptions(r, w, pr, pw, newTimeout);
  }
}
