package io.ringkv.versioning;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * New epochs for a node's new life. A node starts a new epoch whenever it starts with an empty
 * data folder, so the actor it writes as differs from every actor it wrote as before and it can
 * never reissue a dot it issued in a former life (Riak's KV679). Epochs are random in
 * [1, 2<sup>40</sup>): two lives of one node share one with a chance of about 2<sup>-40</sup>,
 * and the value stays a short varint on the wire. Epoch 0 is never issued.
 */
public final class Epochs {
  /** Epochs are below this bound (2^40). */
  public static final long BOUND = 1L << 40;

  private Epochs() {
  }

  /** A new epoch in [1, 2^40) drawn from {@code random}. */
  public static long fresh(RandomGenerator random) {
    Objects.requireNonNull(random, "random");
    return 1L + random.nextLong(BOUND - 1);
  }

  /** A new epoch in [1, 2^40) drawn from a {@link SecureRandom}. */
  public static long fresh() {
    return fresh(Secure.RANDOM);
  }

  /** Created on first use: seeding a SecureRandom can take a moment. */
  private static final class Secure {
    static final SecureRandom RANDOM = new SecureRandom();
  }
}
