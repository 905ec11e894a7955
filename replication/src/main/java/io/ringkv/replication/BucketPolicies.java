package io.ringkv.replication;

import java.util.Map;

/** Looks up a bucket's policy; buckets not declared take the default. */
@FunctionalInterface
public interface BucketPolicies {
  BucketPolicy policyFor(String bucket);

  static BucketPolicies of(BucketPolicy defaults, Map<String, BucketPolicy> declared) {
    Map<String, BucketPolicy> copy = Map.copyOf(declared);
    return bucket -> copy.getOrDefault(bucket, defaults);
  }
}
