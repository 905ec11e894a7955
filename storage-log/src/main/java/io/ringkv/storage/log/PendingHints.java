package io.ringkv.storage.log;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The in-memory index of one target's pending hints, in sequence order: per hint its sequence,
 * where its record lies in the queue, its size and when it was made, in parallel arrays used as a
 * ring (appends go at the end, releases take a prefix), plus the pending sequences of each key.
 * No value is kept. Not thread-safe: the queue's lock guards it.
 *
 * <p>Memory: 32 bytes per hint in the ring (up to twice that, as the ring grows by doubling; it
 * shrinks back once empty), 8 more in its key's list; per distinct key about 130 bytes (a map
 * entry, the key's encoding and its list) plus the key's encoded length.
 */
final class PendingHints {
  /** A key as the records spell it ({@link RecordCodec#encodeKey}), with its hash. */
  static final class KeyBytes {
    private final byte[] bytes;
    private final int hash;

    KeyBytes(byte[] bytes) {
      this.bytes = bytes;
      this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof KeyBytes other && hash == other.hash && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** One key's pending sequences, ascending; released from the front, as the ring is. */
  private static final class Sequences {
    /** The one {@link KeyBytes} every hint of the key shares. */
    final KeyBytes key;
    long[] values = new long[1];
    int from;
    int to;

    Sequences(KeyBytes key) {
      this.key = key;
    }

    void add(long sequence) {
      if (to == values.length) {
        if (from > 0) {
          System.arraycopy(values, from, values, 0, to - from);
          to -= from;
          from = 0;
        }
        if (to == values.length) {
          values = Arrays.copyOf(values, values.length * 2);
        }
      }
      values[to++] = sequence;
    }
  }

  private static final int INITIAL_CAPACITY = 16;

  private long[] sequences;
  private long[] positions;
  private long[] created;
  private int[] sizes;
  private KeyBytes[] keys;
  private int head;
  /** Written under the queue's lock; volatile so that {@link #isEmpty} may be read without it. */
  private volatile int count;
  private long bytes;
  private final Map<KeyBytes, Sequences> byKey = new HashMap<>();

  PendingHints() {
    allocate(INITIAL_CAPACITY);
  }

  /** Adds a hint; its sequence must be above every pending one. */
  void add(long sequence, long position, int size, long createdMillis, KeyBytes key) {
    if (count > 0 && sequence <= sequence(count - 1)) {
      throw new IllegalArgumentException("hint sequence " + sequence + " is not above the last, "
          + sequence(count - 1));
    }
    if (count == sequences.length) {
      grow();
    }
    Sequences seqs = byKey.computeIfAbsent(key, Sequences::new);
    seqs.add(sequence);
    key = seqs.key;
    int slot = slot(count);
    sequences[slot] = sequence;
    positions[slot] = position;
    created[slot] = createdMillis;
    sizes[slot] = size;
    keys[slot] = key;
    count++;
    bytes += size;
  }

  /** Drops every hint whose sequence is at most {@code upTo}; returns how many. */
  int releaseUpTo(long upTo) {
    int released = 0;
    while (count > 0 && sequences[head] <= upTo) {
      Sequences seqs = byKey.get(keys[head]);
      if (++seqs.from == seqs.to) {
        byKey.remove(keys[head]);
      }
      bytes -= sizes[head];
      keys[head] = null;
      head = (head + 1) % sequences.length;
      count--;
      released++;
    }
    if (count == 0) {
      head = 0;
      if (sequences.length > INITIAL_CAPACITY) {
        allocate(INITIAL_CAPACITY); // a drained backlog gives its memory back
      }
    }
    return released;
  }

  int size() {
    return count;
  }

  boolean isEmpty() {
    return count == 0;
  }

  long bytes() {
    return bytes;
  }

  /** The {@code i}-th pending hint's fields, oldest first. */
  long sequence(int i) {
    return sequences[slot(i)];
  }

  long position(int i) {
    return positions[slot(i)];
  }

  int recordSize(int i) {
    return sizes[slot(i)];
  }

  long createdMillis(int i) {
    return created[slot(i)];
  }

  /** The places ({@link #sequence(int) i}) of {@code key}'s pending hints, oldest first; empty when none. */
  int[] indexesOf(KeyBytes key) {
    Sequences seqs = byKey.get(key);
    if (seqs == null) {
      return new int[0];
    }
    int[] out = new int[seqs.to - seqs.from];
    for (int i = 0; i < out.length; i++) {
      out[i] = indexOf(seqs.values[seqs.from + i]);
    }
    return out;
  }

  /** The place of a pending sequence (binary search: sequences ascend along the ring). */
  private int indexOf(long sequence) {
    int lo = 0;
    int hi = count - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long s = sequence(mid);
      if (s < sequence) {
        lo = mid + 1;
      } else if (s > sequence) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    throw new IllegalStateException("sequence " + sequence + " is not pending");
  }

  private int slot(int i) {
    int slot = head + i;
    return slot < sequences.length ? slot : slot - sequences.length;
  }

  private void allocate(int capacity) {
    sequences = new long[capacity];
    positions = new long[capacity];
    created = new long[capacity];
    sizes = new int[capacity];
    keys = new KeyBytes[capacity];
  }

  private void grow() {
    int n = sequences.length * 2;
    long[] s = new long[n];
    long[] p = new long[n];
    long[] c = new long[n];
    int[] z = new int[n];
    KeyBytes[] k = new KeyBytes[n];
    for (int i = 0; i < count; i++) {
      int slot = slot(i);
      s[i] = sequences[slot];
      p[i] = positions[slot];
      c[i] = created[slot];
      z[i] = sizes[slot];
      k[i] = keys[slot];
    }
    sequences = s;
    positions = p;
    created = c;
    sizes = z;
    keys = k;
    head = 0;
  }
}
