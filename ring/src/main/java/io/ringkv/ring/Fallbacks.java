package io.ringkv.ring;

import io.ringkv.api.NodeId;
import java.util.AbstractList;
import java.util.HashSet;
import java.util.RandomAccess;
import java.util.Set;

/**
 * The fall-backs of one preference list, walked lazily: the first {@value #EAGER} are found with
 * the primaries (a sloppy quorum rarely needs more), the rest only when asked for, by one walk of
 * the ring that is then kept. So a lookup costs a walk of a few partitions, not of the whole ring,
 * however many nodes it has. Unmodifiable and thread-safe.
 */
final class Fallbacks extends AbstractList<NodeId> implements RandomAccess {
  /** How many fall-backs are found with the primaries. */
  static final int EAGER = 4;

  private final NodeId[] owners;
  private final int partition;
  private final int primaries;
  private final int size;
  private final NodeId[] first;
  private volatile NodeId[] all;

  /**
   * @param walk the primaries and then up to {@value #EAGER} fall-backs, in clockwise order
   * @param primaries how many of {@code walk} are primaries
   * @param size how many fall-backs there are: the ring's node count minus the primaries
   */
  Fallbacks(NodeId[] owners, int partition, NodeId[] walk, int primaries, int size) {
    this.owners = owners;
    this.partition = partition;
    this.primaries = primaries;
    this.size = size;
    this.first = new NodeId[walk.length - primaries];
    System.arraycopy(walk, primaries, first, 0, first.length);
    this.all = first.length == size ? first : null;
  }

  @Override
  public NodeId get(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("fall-back " + index + " of " + size);
    }
    return index < first.length ? first[index] : rest()[index];
  }

  @Override
  public int size() {
    return size;
  }

  private NodeId[] rest() {
    NodeId[] r = all;
    if (r == null) {
      r = walkAll();
      all = r;
    }
    return r;
  }

  private NodeId[] walkAll() {
    NodeId[] out = new NodeId[size];
    Set<NodeId> seen = new HashSet<>();
    int mask = owners.length - 1;
    int found = 0;
    for (int i = 0; i < owners.length && found < size; i++) {
      NodeId node = owners[(partition + i) & mask];
      if (seen.add(node) && seen.size() > primaries) {
        out[found++] = node;
      }
    }
    return out;
  }
}
