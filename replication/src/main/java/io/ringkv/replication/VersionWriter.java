package io.ringkv.replication;

import io.ringkv.api.Bytes;
import io.ringkv.api.Dot;
import io.ringkv.api.Key;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import io.ringkv.storage.spi.StorageEngine;
import io.ringkv.versioning.DotIssuer;
import io.ringkv.versioning.PruningPolicy;

/**
 * The coordinator's local write: makes the new version (a fresh dot of this node's actor, the
 * writer's context as its causal context, pruned) and stores it here, both under the key's lock,
 * so the local set holds every dot this node issued for the key before it issues the next one.
 */
final class VersionWriter {
  private static final int LOCK_STRIPES = 256;

  private final DotIssuer issuer;
  private final StorageEngine engine;
  private final PruningPolicy pruning;
  private final Object[] locks = new Object[LOCK_STRIPES];

  VersionWriter(DotIssuer issuer, StorageEngine engine, PruningPolicy pruning) {
    this.issuer = issuer;
    this.engine = engine;
    this.pruning = pruning;
    for (int i = 0; i < LOCK_STRIPES; i++) {
      locks[i] = new Object();
    }
  }

  /** The new version and the set this node holds for the key after storing it. */
  record Written(Versioned<Bytes> version, Siblings stored) {}

  /**
   * @throws io.ringkv.api.RingkvException when the engine refuses the write (too large, disk
   *     full); nothing is stored then
   */
  Written write(Key key, VectorClock context, Bytes value, long timestamp, boolean tombstone) {
    synchronized (locks[Math.floorMod(key.hashCode(), LOCK_STRIPES)]) {
      Siblings local = engine.get(key);
      Dot dot = issuer.next(local.clock().merge(context));
      Versioned<Bytes> version = new Versioned<>(tombstone ? Bytes.EMPTY : value, dot,
          pruning.prune(context), timestamp, tombstone);
      return new Written(version, engine.put(key, Siblings.of(version)));
    }
  }
}
