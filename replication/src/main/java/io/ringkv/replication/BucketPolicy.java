package io.ringkv.replication;

import io.ringkv.api.ConflictResolver;
import io.ringkv.api.QuorumSpec;

/** A bucket's replication policy: its quorum and the resolver for its conflicts. */
public record BucketPolicy(QuorumSpec quorum, String resolverName, ConflictResolver resolver) {
  public BucketPolicy {
    if (quorum == null || resolverName == null || resolver == null) {
      throw new IllegalArgumentException("bucket policy needs a quorum, a resolver name and a resolver");
    }
  }
}
