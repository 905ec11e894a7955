package io.ringkv.replication;

import io.ringkv.api.Key;
import io.ringkv.api.Siblings;
import io.ringkv.ring.Token;
import io.ringkv.storage.spi.StorageEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * This node's {@link MerkleTree}s, one per partition and replication factor {@code n} (buckets
 * with different {@code n} live on different replica sets, so they are compared separately, as
 * Riak's "index_n" trees are). {@link TrackedEngine} keeps them up to date on every write; they
 * are rebuilt from storage at start, partition by partition, and a partition whose trees are
 * being rebuilt is not {@linkplain #ready ready} for an exchange.
 *
 * <p>Each tree also knows which of its tokens hold only tombstones, so the exchange looks for
 * tombstones to reap only where there are some.
 */
final class MerkleTrees {
  private final int partitions;
  private final int partitionBits;
  private final ToIntFunction<String> replicasOfBucket;
  private final Map<Long, MerkleTree> trees = new ConcurrentHashMap<>();
  private final Map<Long, Set<Long>> tombstones = new ConcurrentHashMap<>();
  private final Set<Integer> building = ConcurrentHashMap.newKeySet();

  /**
   * @param partitions the ring's partition count Q (a power of two)
   * @param replicasOfBucket the {@code n} of a bucket
   */
  MerkleTrees(int partitions, ToIntFunction<String> replicasOfBucket) {
    if (partitions < 1 || Integer.bitCount(partitions) != 1) {
      throw new IllegalArgumentException("partitions must be a power of two, was " + partitions);
    }
    this.partitions = partitions;
    this.partitionBits = Integer.numberOfTrailingZeros(partitions);
    this.replicasOfBucket = replicasOfBucket;
  }

  int partitions() {
    return partitions;
  }

  int partitionOf(long token) {
    return partitions == 1 ? 0 : (int) (token >>> (Long.SIZE - partitionBits));
  }

  int replicasOf(Key key) {
    return replicasOfBucket.applyAsInt(key.bucket());
  }

  /** Records what is now stored for the key (empty: nothing). */
  void set(Key key, Siblings stored) {
    set(key, Token.of(key).value(), stored);
  }

  /** The same, with the key's token already computed. */
  void set(Key key, long token, Siblings stored) {
    long id = id(partitionOf(token), replicasOf(key));
    MerkleTree tree = trees.computeIfAbsent(id, i -> new MerkleTree(partitionBits));
    tree.set(token, LeafHash.of(stored));
    if (stored.isDeleted()) {
      tombstones.computeIfAbsent(id, i -> ConcurrentHashMap.newKeySet()).add(token);
    } else {
      Set<Long> t = tombstones.get(id);
      if (t != null) {
        t.remove(token);
      }
    }
  }

  /** The tree of (partition, n); an empty one when this node holds no such key. */
  MerkleTree tree(int partition, int n) {
    return trees.computeIfAbsent(id(partition, n), i -> new MerkleTree(partitionBits));
  }

  /** The replication factors this node holds keys of in the partition, ascending. */
  List<Integer> replicationFactors(int partition) {
    List<Integer> out = new ArrayList<>();
    for (Map.Entry<Long, MerkleTree> e : trees.entrySet()) {
      if ((int) (e.getKey() >>> 32) == partition && e.getValue().size() > 0) {
        out.add((int) (long) e.getKey());
      }
    }
    out.sort(null);
    return out;
  }

  /** Whether the tokens of (partition, n) that hold only tombstones include any. */
  boolean hasTombstones(int partition, int n) {
    Set<Long> t = tombstones.get(id(partition, n));
    return t != null && !t.isEmpty();
  }

  boolean ready(int partition) {
    return !building.contains(partition);
  }

  /**
   * Rebuilds the trees of a partition from the engine: each key is read again under its stripe
   * lock, so a write that races the rebuild is never overwritten by an older value.
   */
  void rebuild(int partition, StorageEngine engine, TrackedEngine.Stripes stripes) {
    building.add(partition);
    try {
      for (Map.Entry<Long, MerkleTree> e : trees.entrySet()) {
        if ((int) (e.getKey() >>> 32) == partition) {
          e.getValue().clear();
          Set<Long> t = tombstones.get(e.getKey());
          if (t != null) {
            t.clear();
          }
        }
      }
      engine.forEachInPartition(partition, (key, ignored) -> {
        synchronized (stripes.of(key)) {
          set(key, engine.get(key));
        }
      });
    } finally {
      building.remove(partition);
    }
  }

  /** Keys held in all trees (tokens two keys share count once). */
  long size() {
    long n = 0;
    for (MerkleTree t : trees.values()) {
      n += t.size();
    }
    return n;
  }

  private static long id(int partition, int n) {
    return ((long) partition << 32) | (n & 0xFFFFFFFFL);
  }
}
