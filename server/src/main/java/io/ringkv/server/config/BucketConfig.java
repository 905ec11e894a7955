package io.ringkv.server.config;

import io.ringkv.api.ConfigException;
import io.ringkv.api.QuorumSpec;
import io.ringkv.api.RingkvException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One declared bucket ({@code bucket.<name>.*}). A {@code null} n, r, w, resolver or sloppy takes
 * the default; {@link #quorum(QuorumSpec)} combines them and checks the quorum rule.
 *
 * @param name the bucket: 1 to 128 letters, digits and {@code . _ -}
 * @param resolverSettings {@code bucket.<name>.resolver.*} with the prefix removed; copied,
 *     sorted, unmodifiable
 * @param sloppy {@code bucket.<name>.sloppy}: whether fall-backs may stand in for down primaries
 *     (null: the default, true)
 */
public record BucketConfig(String name, Integer n, Integer r, Integer w, String resolver,
    Map<String, String> resolverSettings, Boolean sloppy) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._\\-]{1,128}");

  public BucketConfig {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new ConfigException("bucket." + name, null,
          "a bucket name is 1 to 128 characters from letters, digits and . _ -");
    }
    positive(name, "n", n);
    positive(name, "r", r);
    positive(name, "w", w);
    if (resolver != null && resolver.isBlank()) {
      throw new ConfigException("bucket." + name + ".resolver", resolver,
          "must name a resolver (or be left out for the default)");
    }
    TreeMap<String, String> copy = new TreeMap<>();
    if (resolverSettings != null) {
      resolverSettings.forEach((k, v) -> {
        if (k == null || k.isBlank() || v == null) {
          throw new ConfigException("bucket." + name + ".resolver." + k, v,
              "a resolver setting needs a name and a value");
        }
        copy.put(k, v);
      });
    }
    resolverSettings = Collections.unmodifiableSortedMap(copy);
  }

  private static void positive(String bucket, String what, Integer value) {
    if (value != null && value < 1) {
      throw new ConfigException("bucket." + bucket + "." + what, String.valueOf(value),
          "must be at least 1");
    }
  }

  /** A sloppy bucket (or one that takes the default). */
  public BucketConfig(String name, Integer n, Integer r, Integer w, String resolver,
      Map<String, String> resolverSettings) {
    this(name, n, r, w, resolver, resolverSettings, null);
  }

  /** A bucket that takes every default. */
  public static BucketConfig named(String name) {
    return new BucketConfig(name, null, null, null, null, Map.of(), null);
  }

  public BucketConfig withResolver(String newResolver) {
    return new BucketConfig(name, n, r, w, newResolver, resolverSettings, sloppy);
  }

  public BucketConfig withQuorum(Integer newN, Integer newR, Integer newW) {
    return new BucketConfig(name, newN, newR, newW, resolver, resolverSettings, sloppy);
  }

  public BucketConfig withSloppy(Boolean newSloppy) {
    return new BucketConfig(name, n, r, w, resolver, resolverSettings, newSloppy);
  }

  /** Whether fall-backs may stand in for this bucket's down primaries (default true). */
  public boolean isSloppy() {
    return sloppy == null || sloppy;
  }

  /**
   * This bucket's n, r and w, each falling back to {@code defaults}.
   *
   * @throws ConfigException naming the bucket and the quorum rule the combination breaks
   */
  public QuorumSpec quorum(QuorumSpec defaults) {
    int qn = n != null ? n : defaults.n();
    int qr = r != null ? r : defaults.r();
    int qw = w != null ? w : defaults.w();
    try {
      return new QuorumSpec(qn, qr, qw);
    } catch (RingkvException e) {
      throw new ConfigException("bucket." + name, "n=" + qn + ", r=" + qr + ", w=" + qw,
          "bucket '" + name + "': " + e.getMessage()
              + " (values not set for the bucket come from replication.n/r/w)");
    }
  }

  /** The resolver this bucket selects: its own, else {@code defaultResolver}. */
  public String resolverOr(String defaultResolver) {
    return resolver != null ? resolver : defaultResolver;
  }
}
