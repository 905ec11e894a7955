package io.ringkv.api;

/**
 * Replication and quorum sizes: {@code n} copies, a read waits for {@code r} answers, a write for
 * {@code w} acknowledgements (the coordinator's own included). Valid only when
 * {@code 1 <= r, w <= n} and {@code r + w > n}, so every read quorum meets every write quorum.
 */
public record QuorumSpec(int n, int r, int w) {
  public QuorumSpec {
    if (n < 1) {
      throw invalid(n, r, w, "n must be at least 1");
    }
    if (r < 1 || r > n) {
      throw invalid(n, r, w, "r must satisfy 1 <= r <= n");
    }
    if (w < 1 || w > n) {
      throw invalid(n, r, w, "w must satisfy 1 <= w <= n");
    }
    if (r + w <= n) {
      throw invalid(n, r, w, "r + w > n is required (" + r + " + " + w + " = " + (r + w)
          + " is not greater than " + n + "), or a read could miss the latest write");
    }
  }

  private static RingkvException invalid(int n, int r, int w, String rule) {
    return new RingkvException(ErrorCode.INVALID_QUORUM,
        "quorum (n=" + n + ", r=" + r + ", w=" + w + ") refused: " + rule);
  }

  /** This spec with a request's r and w overrides (0 = keep); the result is checked again. */
  public QuorumSpec withOverrides(int rOverride, int wOverride) {
    if (rOverride == 0 && wOverride == 0) {
      return this;
    }
    return new QuorumSpec(n, rOverride == 0 ? r : rOverride, wOverride == 0 ? w : wOverride);
  }
}
