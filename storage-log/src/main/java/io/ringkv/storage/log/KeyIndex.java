package io.ringkv.storage.log;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The in-memory index, key to the position of its newest record, as an open-addressing table of
 * primitives (linear probing, backward-shift deletion): per slot a {@code long} position, an
 * {@code int} fingerprint (32 bits of a 64-bit hash of the key's encoding), an {@code int} record
 * size and an {@code int} partition, 20 bytes. Keys themselves stay in the log: a fingerprint match
 * is confirmed by comparing the key inside the record ({@link KeyCheck}). At most 3/4 full, so
 * 27 to 54 bytes per key (20 / load factor) and nothing per key on top.
 *
 * <p>Not thread-safe; the engine guards it with a read-write lock.
 */
final class KeyIndex {
  /** The position of an empty slot; no record lives at position 0 (cycles start at 1). */
  static final long EMPTY = 0L;
  static final int BYTES_PER_SLOT = 8 + 4 + 4 + 4;
  private static final int MAX_CAPACITY = 1 << 30;
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** Confirms that the record at a position belongs to the key being looked up. */
  @FunctionalInterface
  interface KeyCheck {
    boolean isKey(long position, int size);
  }

  /** Receives one entry. */
  @FunctionalInterface
  interface EntryVisitor {
    void visit(int fingerprint, long position, int size, int partition);
  }

  private long[] positions;
  private int[] fingerprints;
  private int[] sizes;
  private int[] partitions;
  private int mask;
  private int size;

  KeyIndex(int expectedKeys) {
    allocate(capacityFor(expectedKeys));
  }

  /** 32 bits of a 64-bit hash (wyhash-style mixing over 8-byte words) of the key's encoding. */
  static int fingerprint(byte[] key) {
    long h = 0x9E3779B97F4A7C15L ^ (key.length * 0xC2B2AE3D27D4EB4FL);
    int i = 0;
    for (; i + 8 <= key.length; i += 8) {
      h = mix(h ^ (long) LONGS.get(key, i));
    }
    long tail = 0;
    for (int shift = 0; i < key.length; i++, shift += 8) {
      tail |= (key[i] & 0xffL) << shift;
    }
    h = mix(h ^ tail ^ 0xFF51AFD7ED558CCDL);
    return (int) (h ^ (h >>> 32));
  }

  private static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    return h ^ (h >>> 33);
  }

  /** The slot of the key with this fingerprint that {@code check} confirms, or -1. */
  int find(int fingerprint, KeyCheck check) {
    for (int i = fingerprint & mask; positions[i] != EMPTY; i = (i + 1) & mask) {
      if (fingerprints[i] == fingerprint && check.isKey(positions[i], sizes[i])) {
        return i;
      }
    }
    return -1;
  }

  /** The slot holding exactly this position (positions are unique), or -1. */
  int findPosition(int fingerprint, long position) {
    for (int i = fingerprint & mask; positions[i] != EMPTY; i = (i + 1) & mask) {
      if (positions[i] == position) {
        return i;
      }
    }
    return -1;
  }

  /** An independent copy (for a snapshot taken while writes go on). */
  KeyIndex copy() {
    KeyIndex c = new KeyIndex(0);
    c.positions = positions.clone();
    c.fingerprints = fingerprints.clone();
    c.sizes = sizes.clone();
    c.partitions = partitions.clone();
    c.mask = mask;
    c.size = size;
    return c;
  }

  long position(int slot) {
    return positions[slot];
  }

  int partition(int slot) {
    return partitions[slot];
  }

  /** Adds a key known to be absent. */
  void insert(int fingerprint, long position, int size, int partition) {
    if (position == EMPTY) {
      throw new IllegalArgumentException("position " + position + " is reserved for empty slots");
    }
    if ((this.size + 1) * 4L > (mask + 1L) * 3) {
      resize();
    }
    int i = fingerprint & mask;
    while (positions[i] != EMPTY) {
      i = (i + 1) & mask;
    }
    store(i, fingerprint, position, size, partition);
    this.size++;
  }

  void update(int slot, long position, int size) {
    positions[slot] = position;
    sizes[slot] = size;
  }

  /** Removes the entry at {@code slot}, shifting back the entries probing past it. */
  void remove(int slot) {
    int hole = slot;
    int j = slot;
    for (;;) {
      j = (j + 1) & mask;
      if (positions[j] == EMPTY) {
        break;
      }
      int home = fingerprints[j] & mask;
      // The entry at j may fill the hole unless its home lies cyclically in (hole, j].
      boolean homeBetween = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
      if (!homeBetween) {
        store(hole, fingerprints[j], positions[j], sizes[j], partitions[j]);
        hole = j;
      }
    }
    positions[hole] = EMPTY;
    size--;
  }

  int size() {
    return size;
  }

  int capacity() {
    return mask + 1;
  }

  /** Heap bytes held by the table's arrays. */
  long memoryBytes() {
    return (long) capacity() * BYTES_PER_SLOT + 4L * 16;
  }

  void forEach(EntryVisitor visitor) {
    for (int i = 0; i <= mask; i++) {
      if (positions[i] != EMPTY) {
        visitor.visit(fingerprints[i], positions[i], sizes[i], partitions[i]);
      }
    }
  }

  /** Positions and sizes of the entries of one partition: {@code [positions, sizes]} packed pairwise. */
  long[] entriesOf(int partition) {
    long[] out = new long[16];
    int n = 0;
    for (int i = 0; i <= mask; i++) {
      if (positions[i] != EMPTY && partitions[i] == partition) {
        if (n + 2 > out.length) {
          out = Arrays.copyOf(out, out.length * 2);
        }
        out[n++] = positions[i];
        out[n++] = sizes[i];
      }
    }
    return Arrays.copyOf(out, n);
  }

  private void store(int i, int fingerprint, long position, int size, int partition) {
    positions[i] = position;
    fingerprints[i] = fingerprint;
    sizes[i] = size;
    partitions[i] = partition;
  }

  private void resize() {
    if (capacity() >= MAX_CAPACITY) {
      throw new IllegalStateException("the key index is full: " + size + " keys in " + capacity() + " slots");
    }
    long[] oldPositions = positions;
    int[] oldFingerprints = fingerprints;
    int[] oldSizes = sizes;
    int[] oldPartitions = partitions;
    allocate(capacity() * 2);
    for (int i = 0; i < oldPositions.length; i++) {
      if (oldPositions[i] != EMPTY) {
        int j = oldFingerprints[i] & mask;
        while (positions[j] != EMPTY) {
          j = (j + 1) & mask;
        }
        store(j, oldFingerprints[i], oldPositions[i], oldSizes[i], oldPartitions[i]);
      }
    }
  }

  private void allocate(int capacity) {
    positions = new long[capacity];
    fingerprints = new int[capacity];
    sizes = new int[capacity];
    partitions = new int[capacity];
    mask = capacity - 1;
  }

  private static int capacityFor(int keys) {
    long wanted = Math.max(16, (long) Math.ceil(Math.max(0, keys) / 0.75) + 1);
    long capacity = Long.highestOneBit(wanted - 1) << 1;
    return (int) Math.min(MAX_CAPACITY, Math.max(16, capacity));
  }
}
