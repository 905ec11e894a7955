package io.ringkv.replication;

import io.ringkv.api.Bytes;
import io.ringkv.api.Dot;
import io.ringkv.api.Key;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import io.ringkv.storage.spi.StorageEngine;
import io.ringkv.storage.spi.Write;
import io.ringkv.versioning.DotIssuer;
import io.ringkv.versioning.PruningPolicy;
import java.util.concurrent.CompletableFuture;

/**
 * The coordinator's local write: makes the new version (a fresh dot of this node's actor, the
 * writer's context as its causal context, pruned) and stores it here, both in one
 * {@link StorageEngine#update} (one read under the key's lock), so the local set holds every dot
 * this node issued for the key before it issues the next one. The write's durability is not
 * waited for here: {@link Written#durable} says when.
 */
final class VersionWriter {
  private final DotIssuer issuer;
  private final StorageEngine engine;
  private final PruningPolicy pruning;

  VersionWriter(DotIssuer issuer, StorageEngine engine, PruningPolicy pruning) {
    this.issuer = issuer;
    this.engine = engine;
    this.pruning = pruning;
  }

  /**
   * The new version, the set this node holds for the key after storing it, and whether the
   * writer's context joined with the new dot is exact: true unless this node holds another
   * version of its own that the writer had not seen.
   */
  record Written(Versioned<Bytes> version, Siblings stored, boolean exact,
      CompletableFuture<Void> durable) {

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
    Versioned<?>[] made = new Versioned<?>[1];
    boolean[] exact = {true};
    Write write = engine.update(key, local -> {
      Dot dot = issuer.next(local.clock().merge(context));
      exact[0] = true;
      for (Versioned<Bytes> held : local.versions()) {
        if (held.dot().actor().equals(dot.actor()) && !context.covers(held.dot())) {
          exact[0] = false; // a version of this actor the writer did not see: {a: k} would claim it
          break;
        }
      }
      Versioned<Bytes> version = new Versioned<>(tombstone ? Bytes.EMPTY : value, dot,
          pruning.prune(context), timestamp, tombstone);
      made[0] = version;
      return Siblings.of(version);
    });
    @SuppressWarnings("unchecked")
    Versioned<Bytes> version = (Versioned<Bytes>) made[0];
    return new Written(version, write.stored(), exact[0], write.durable());
  }
}
