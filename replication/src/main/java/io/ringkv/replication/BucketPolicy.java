package io.ringkv.replication;

import io.ringkv.api.ConflictResolver;
import io.ringkv.api.QuorumSpec;

/**
 * A bucket's replication policy: its quorum, the resolver for its conflicts, and whether its
 * reads and writes may use fall-back nodes for primaries that are down ({@code sloppy}, Dynamo's
 * sloppy quorum; with it off, a down primary is simply missing from the quorum).
 */
public record BucketPolicy(QuorumSpec quorum, String resolverName, ConflictResolver resolver,
    boolean sloppy) {
  public BucketPolicy {
    if (quorum == null || resolverName == null || resolver == null) {
      throw new IllegalArgumentException("bucket policy needs a quorum, a resolver name and a resolver");
    }
  }

  /** A sloppy bucket (the default). */
  public BucketPolicy(QuorumSpec quorum, String resolverName, ConflictResolver resolver) {
    this(quorum, resolverName, resolver, true);
  }
}
