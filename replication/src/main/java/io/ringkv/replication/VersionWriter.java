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

  /**
   * The new version, the set this node holds for the key after storing it, and whether the
   * writer's context joined with the new dot is exact: true unless this node holds another
   * version of its own that the writer had not seen.
   */
  record Written(Versioned<Bytes> version, Siblings stored, boolean exact) {

    /**
     * The context to hand the writer back: what it had seen plus the new dot, when that claims
     * nothing more; otherwise only what it had seen (a clock {a: k} would also claim an unseen
     * (a, j &lt; k), and a later write with it would supersede that write unseen). The cost of the
     * second case is a false sibling of the writer's own version, never a lost write.
     */
    VectorClock after(VectorClock seen) {
      return exact ? seen.with(version.dot(), version.timestamp()) : seen;
    }
  }

  /**
   * @throws io.ringkv.api.RingkvException when the engine refuses the write (too large, disk
   *     full); nothing is stored then
   */
  Written write(Key key, VectorClock context, Bytes value, long timestamp, boolean tombstone) {
    synchronized (locks[Math.floorMod(key.hashCode(), LOCK_STRIPES)]) {
      Siblings local = engine.get(key);
      Dot dot = issuer.next(local.clock().merge(context));
      boolean exact = true;
      for (Versioned<Bytes> held : local.versions()) {
        if (held.dot().actor().equals(dot.actor()) && !context.covers(held.dot())) {
          exact = false; // a version of this actor the writer did not see: {a: k} would claim it
          break;
        }
      }
      Versioned<Bytes> version = new Versioned<>(tombstone ? Bytes.EMPTY : value, dot,
          pruning.prune(context), timestamp, tombstone);
      return new Written(version, engine.put(key, Siblings.of(version)), exact);
    }
  }
}
