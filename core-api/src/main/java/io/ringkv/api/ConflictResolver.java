package io.ringkv.api;

import java.util.List;

/**
 * A bucket's policy for concurrent versions. The coordinator calls it with the versions that
 * survive syntactic reconciliation (two or more, tombstones included) and acts on the answer:
 * {@link Resolution.Keep} hands the kept versions to the client as siblings;
 * {@link Resolution.Merged} is written back with a clock that dominates every sibling, so the
 * conflict is gone from the store, not just hidden.
 *
 * <p>Every resolver must be deterministic and commutative (the order of {@code siblings} must
 * not matter), idempotent, and must never drop a version that is causally newer than one it
 * keeps. {@code ConflictResolverContractTest} in ringkv-testkit checks all three.
 */
public interface ConflictResolver {
  Resolution resolve(List<Versioned<Bytes>> siblings);
}
