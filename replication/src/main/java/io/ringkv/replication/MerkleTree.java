package io.ringkv.replication;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The hash tree of one partition's keys of one replication factor on this node: {@value #SEGMENTS}
 * leaf segments under {@value #FANOUT} inner nodes under one root. A key's segment is the
 * {@value #SEGMENT_BITS} bits of its token just below the partition bits, so every replica puts a
 * key in the same segment. A segment holds one entry per key token, the hash of the key's
 * sibling set ({@link LeafHash}); a segment's hash is the XOR of its entries, an inner node's the
 * XOR of its segments, the root's the XOR of all. XOR makes every update O(1) (the old entry
 * XORed out, the new one in, on the segment, its parent and the root) and lets concurrent updates
 * of different keys commute; a difference between two replicas shows at every level above it
 * (unless two differences cancel exactly, with probability 2^-64).
 *
 * <p>Memory: three {@code long} arrays of {@value #SEGMENTS} + {@value #FANOUT} + 1 entries (about
 * 8.5 KiB) per tree, and per key 16 bytes (token and hash, in sorted parallel arrays per segment
 * that grow by half) plus the array slack. Thread-safe: a segment is guarded by itself.
 */
final class MerkleTree {
  static final int SEGMENT_BITS = 10;
  static final int SEGMENTS = 1 << SEGMENT_BITS;
  static final int FANOUT = 32;
  static final int LEVELS = 3;

  private final int partitionBits;
  private final Segment[] segments = new Segment[SEGMENTS];
  private final AtomicLongArray segmentHashes = new AtomicLongArray(SEGMENTS);
  private final AtomicLongArray innerHashes = new AtomicLongArray(SEGMENTS / FANOUT);
  private final AtomicLongArray root = new AtomicLongArray(1);
  private final java.util.concurrent.atomic.AtomicLong entries =
      new java.util.concurrent.atomic.AtomicLong();

  /** A tree for a ring of {@code 2^partitionBits} partitions. */
  MerkleTree(int partitionBits) {
    if (partitionBits < 0 || partitionBits > 16) {
      throw new IllegalArgumentException("partition bits must be in [0, 16], was " + partitionBits);
    }
    this.partitionBits = partitionBits;
    for (int i = 0; i < SEGMENTS; i++) {
      segments[i] = new Segment();
    }
  }

  /** The segment of a token: the {@value #SEGMENT_BITS} bits below the partition bits. */
  int segmentOf(long token) {
    return (int) ((token << partitionBits) >>> (Long.SIZE - SEGMENT_BITS));
  }

  /** Sets the entry of a token; {@code leaf} 0 removes it. */
  void set(long token, long leaf) {
    int s = segmentOf(token);
    long delta;
    Segment seg = segments[s];
    synchronized (seg) {
      int before = seg.size;
      delta = seg.set(token, leaf);
      entries.addAndGet(seg.size - before);
    }
    if (delta != 0) {
      xor(segmentHashes, s, delta);
      xor(innerHashes, s / FANOUT, delta);
      xor(root, 0, delta);
    }
  }

  /** Removes every entry (before a rebuild). */
  void clear() {
    for (int s = 0; s < SEGMENTS; s++) {
      Segment seg = segments[s];
      synchronized (seg) {
        for (int i = 0; i < seg.size; i++) {
          long delta = seg.leaves[i];
          xor(segmentHashes, s, delta);
          xor(innerHashes, s / FANOUT, delta);
          xor(root, 0, delta);
        }
        entries.addAndGet(-seg.size);
        seg.size = 0;
        seg.tokens = Segment.NONE;
        seg.leaves = Segment.NONE;
      }
    }
  }

  /**
   * The hashes of the nodes at a level: 0 is the root (index 0), 1 the {@value #FANOUT} inner
   * nodes, 2 the {@value #SEGMENTS} segments.
   */
  long[] hashes(int level, int[] indexes) {
    AtomicLongArray at = switch (level) {
      case 0 -> root;
      case 1 -> innerHashes;
      case 2 -> segmentHashes;
      default -> throw new IllegalArgumentException("a tree has levels 0, 1 and 2, not " + level);
    };
    long[] out = new long[indexes.length];
    for (int i = 0; i < indexes.length; i++) {
      if (indexes[i] < 0 || indexes[i] >= at.length()) {
        throw new IllegalArgumentException("level " + level + " has nodes 0 to "
            + (at.length() - 1) + ", not " + indexes[i]);
      }
      out[i] = at.get(indexes[i]);
    }
    return out;
  }

  long rootHash() {
    return root.get(0);
  }

  /** The entries of a segment, sorted by token (unsigned): {@code [tokens, leaves]}. */
  long[][] entries(int segment) {
    if (segment < 0 || segment >= SEGMENTS) {
      throw new IllegalArgumentException("segments are 0 to " + (SEGMENTS - 1) + ", not " + segment);
    }
    Segment seg = segments[segment];
    synchronized (seg) {
      return new long[][] {Arrays.copyOf(seg.tokens, seg.size), Arrays.copyOf(seg.leaves, seg.size)};
    }
  }

  /** Number of entries (keys, but for tokens two keys share). */
  long size() {
    return entries.get();
  }

  private static void xor(AtomicLongArray array, int i, long delta) {
    long prev;
    do {
      prev = array.get(i);
    } while (!array.compareAndSet(i, prev, prev ^ delta));
  }

  /** Sorted parallel arrays of tokens and their leaf hashes; guarded by itself. */
  private static final class Segment {
    static final long[] NONE = new long[0];
    long[] tokens = NONE;
    long[] leaves = NONE;
    int size;

    /** Sets (or with 0 removes) the token's leaf; returns old XOR new. */
    long set(long token, long leaf) {
      int i = find(token);
      if (i >= 0) {
        long old = leaves[i];
        if (leaf == 0) {
          System.arraycopy(tokens, i + 1, tokens, i, size - i - 1);
          System.arraycopy(leaves, i + 1, leaves, i, size - i - 1);
          size--;
        } else {
          leaves[i] = leaf;
        }
        return old ^ leaf;
      }
      if (leaf == 0) {
        return 0;
      }
      int at = -i - 1;
      if (size == tokens.length) {
        int capacity = Math.max(4, size + (size >> 1));
        tokens = Arrays.copyOf(tokens, capacity);
        leaves = Arrays.copyOf(leaves, capacity);
      }
      System.arraycopy(tokens, at, tokens, at + 1, size - at);
      System.arraycopy(leaves, at, leaves, at + 1, size - at);
      tokens[at] = token;
      leaves[at] = leaf;
      size++;
      return leaf;
    }

    private int find(long token) {
      int lo = 0;
      int hi = size - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        int c = Long.compareUnsigned(tokens[mid], token);
        if (c < 0) {
          lo = mid + 1;
        } else if (c > 0) {
          hi = mid - 1;
        } else {
          return mid;
        }
      }
      return -(lo + 1);
    }
  }
}
