package io.ringkv.ring;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed-partition ring (Dynamo's strategy 3, as in Riak): the 64-bit token space is cut into
 * {@code Q} equal partitions (a power of two), each owned by one physical node. A key's partition
 * is the top {@code log2(Q)} bits of its {@link Token}, so partition {@code i + 1} follows
 * {@code i} clockwise and {@code Q - 1} wraps to {@code 0}.
 *
 * <p>Ownership is balanced: each of the S nodes owns {@code floor(Q/S)} or {@code ceil(Q/S)}
 * partitions. {@link #withNode} and {@link #withoutNode} move only the partitions that must move
 * and keep the balance; among the layouts that allows, they prefer ones where the owners of any
 * 3 consecutive partitions are distinct (best effort).
 *
 * <p>Immutable and thread-safe. Equal when the owner lists are equal. Misuse is refused with a
 * {@link RingkvException} of code {@link ErrorCode#INVALID_ARGUMENT}; null arguments with a
 * {@link NullPointerException}. {@code ring::partitionOf} serves as a {@code ToIntFunction<Key>}.
 */
public final class Ring {
  /** The largest partition count accepted. */
  public static final int MAX_PARTITIONS = 1 << 16;
  private static final Logger LOG = LoggerFactory.getLogger(Ring.class);

  private final NodeId[] owners;
  private final List<NodeId> ownerList;
  private final int shift;
  private final SortedSet<NodeId> nodes;
  private final Map<NodeId, Integer> counts;
  private final int hash;
  /** Preference lists built so far, by primary count and partition (see preferenceList). */
  private final Map<Integer, PreferenceList[]> lists = new ConcurrentHashMap<>();

  private Ring(NodeId[] owners) {
    this.owners = owners;
    this.ownerList = List.of(owners);
    this.shift = Long.SIZE - Integer.numberOfTrailingZeros(owners.length);
    Map<NodeId, Integer> c = Claim.counts(owners);
    this.counts = Collections.unmodifiableMap(c);
    this.nodes = Collections.unmodifiableSortedSet(new TreeSet<>(c.keySet()));
    this.hash = Arrays.hashCode(owners);
  }

  /**
   * A balanced ring of {@code partitions} partitions over {@code nodes}. The layout depends only
   * on the set of nodes, not on the order or type of the collection.
   *
   * @throws RingkvException if partitions is not a power of two in [1, 65536], the collection is
   *     empty, holds a node twice, or holds more nodes than partitions
   */
  public static Ring create(int partitions, Collection<NodeId> nodes) {
    checkPartitionCount(partitions, "partitions " + partitions);
    Objects.requireNonNull(nodes, "nodes");
    if (nodes.isEmpty()) {
      throw invalid("a ring needs at least one node; the node collection is empty");
    }
    TreeSet<NodeId> sorted = new TreeSet<>();
    for (NodeId node : nodes) {
      Objects.requireNonNull(node, "nodes must not contain null");
      if (!sorted.add(node)) {
        throw invalid("node '" + node + "' is listed twice: each node joins the ring once");
      }
    }
    if (sorted.size() > partitions) {
      throw tooManyNodes(sorted.size(), partitions);
    }
    return new Ring(Claim.initial(partitions, new ArrayList<>(sorted)));
  }

  /**
   * The ring with exactly these owners, {@code owners.get(i)} owning partition {@code i}: how a
   * node rebuilds a ring it received by gossip. Not checked for balance.
   *
   * @throws RingkvException if the size is not a power of two in [1, 65536]
   */
  public static Ring of(List<NodeId> owners) {
    Objects.requireNonNull(owners, "owners");
    checkPartitionCount(owners.size(), "an owner list of " + owners.size() + " entries");
    NodeId[] array = new NodeId[owners.size()];
    for (int p = 0; p < array.length; p++) {
      array[p] = owners.get(p);
      if (array[p] == null) {
        throw invalid("the owner of partition " + p + " is null: every partition needs an owner");
      }
    }
    return new Ring(array);
  }

  public int partitions() {
    return owners.length;
  }

  /** The partition of a key: the top log2(Q) bits of {@link Token#of(Key)}. */
  public int partitionOf(Key key) {
    return partitionOf(Token.of(key));
  }

  /** The partition holding a token: its top log2(Q) bits, so in [0, Q). */
  public int partitionOf(Token token) {
    Objects.requireNonNull(token, "token");
    return owners.length == 1 ? 0 : (int) (token.value() >>> shift);
  }

  public NodeId owner(int partition) {
    checkPartition(partition);
    return owners[partition];
  }

  /** The owner of every partition, index = partition; unmodifiable. */
  public List<NodeId> owners() {
    return ownerList;
  }

  /** The physical nodes, sorted; unmodifiable. */
  public SortedSet<NodeId> nodes() {
    return nodes;
  }

  /** How many partitions each node owns, sorted by node; unmodifiable. */
  public Map<NodeId, Integer> ownershipCounts() {
    return counts;
  }

  public boolean contains(NodeId node) {
    return counts.containsKey(Objects.requireNonNull(node, "node"));
  }

  /** The preference list of the key's partition; see {@link #preferenceList(int, int)}. */
  public PreferenceList preferenceList(Key key, int n) {
    return preferenceList(partitionOf(key), n);
  }

  /**
   * Walks clockwise from the partition and collects distinct physical nodes in the order met:
   * the first {@code min(n, S)} are the primaries, all the others the fall-backs. The list is
   * built once per partition and n and kept with the ring; its fall-backs past the first few are
   * walked only when read, so a lookup does not grow with the number of nodes.
   *
   * @throws RingkvException if the partition is out of range or n is below 1
   */
  public PreferenceList preferenceList(int partition, int n) {
    checkPartition(partition);
    checkN(n);
    int primaries = Math.min(n, nodes.size());
    PreferenceList[] cached = lists.get(primaries);
    if (cached == null) {
      cached = lists.computeIfAbsent(primaries, k -> new PreferenceList[owners.length]);
    }
    // A racy cache: two threads may build the same list, and either copy is right (immutable).
    PreferenceList list = cached[partition];
    if (list == null) {
      list = build(partition, primaries);
      cached[partition] = list;
    }
    return list;
  }

  /** The primaries and the first fall-backs, walked now; the other fall-backs when asked for. */
  private PreferenceList build(int partition, int primaries) {
    int fallbacks = nodes.size() - primaries;
    NodeId[] walk = new NodeId[primaries + Math.min(Fallbacks.EAGER, fallbacks)];
    int found = 0;
    int mask = owners.length - 1;
    for (int i = 0; i < owners.length && found < walk.length; i++) {
      NodeId node = owners[(partition + i) & mask];
      boolean seen = false;
      for (int j = 0; j < found && !seen; j++) {
        seen = walk[j].equals(node);
      }
      if (!seen) {
        walk[found++] = node;
      }
    }
    return new PreferenceList(List.of(walk).subList(0, primaries),
        new Fallbacks(owners, partition, walk, primaries, fallbacks));
  }

  /**
   * The partitions whose first {@code n} primaries include the node: what it replicates. Empty
   * for a node that is not in the ring. Sorted and unmodifiable.
   */
  public Set<Integer> partitionsReplicatedBy(NodeId node, int n) {
    Objects.requireNonNull(node, "node");
    checkN(n);
    TreeSet<Integer> result = new TreeSet<>();
    if (contains(node)) {
      int wanted = Math.min(n, nodes.size());
      for (int p = 0; p < owners.length; p++) {
        if (walk(p, wanted).contains(node)) {
          result.add(p);
        }
      }
    }
    return Collections.unmodifiableSortedSet(result);
  }

  /**
   * This ring with a new node, which takes {@code floor(Q / (S + 1))} partitions from the nodes
   * that own the most; no other partition changes owner.
   *
   * @throws RingkvException if the node is already in the ring, or the ring already has as many
   *     nodes as partitions
   */
  public Ring withNode(NodeId node) {
    Objects.requireNonNull(node, "node");
    if (contains(node)) {
      throw invalid("node '" + node + "' is already in the ring");
    }
    if (nodes.size() + 1 > owners.length) {
      throw tooManyNodes(nodes.size() + 1, owners.length);
    }
    Ring next = new Ring(Claim.join(owners, node));
    LOG.debug("{} joins: takes {} of {} partitions", node, next.counts.get(node), owners.length);
    return next;
  }

  /**
   * This ring without the node: its partitions go to the nodes that own the fewest; no other
   * partition changes owner.
   *
   * @throws RingkvException if the node is not in the ring or is its last node
   */
  public Ring withoutNode(NodeId node) {
    Objects.requireNonNull(node, "node");
    if (!contains(node)) {
      throw invalid("node '" + node + "' is not in the ring, so it cannot leave it");
    }
    if (nodes.size() == 1) {
      throw invalid("node '" + node + "' is the last node: a ring needs at least one node");
    }
    Ring next = new Ring(Claim.leave(owners, node));
    LOG.debug("{} leaves: hands off {} of {} partitions", node, counts.get(node), owners.length);
    return next;
  }

  /**
   * The partitions whose owner differs between this ring and {@code next}, with the old and new
   * owner; sorted by partition, unmodifiable.
   *
   * @throws RingkvException if the rings have different partition counts
   */
  public Map<Integer, Transfer> transfersTo(Ring next) {
    Objects.requireNonNull(next, "next");
    if (next.owners.length != owners.length) {
      throw invalid("cannot compare a ring of " + owners.length + " partitions with one of "
          + next.owners.length + ": the partition count is fixed for the life of a cluster");
    }
    TreeMap<Integer, Transfer> moves = new TreeMap<>();
    for (int p = 0; p < owners.length; p++) {
      if (!owners[p].equals(next.owners[p])) {
        moves.put(p, new Transfer(owners[p], next.owners[p]));
      }
    }
    return Collections.unmodifiableSortedMap(moves);
  }

  /** Up to {@code limit} distinct nodes, clockwise from the partition. */
  private List<NodeId> walk(int partition, int limit) {
    LinkedHashSet<NodeId> seen = new LinkedHashSet<>();
    int mask = owners.length - 1;
    for (int i = 0; i < owners.length && seen.size() < limit; i++) {
      seen.add(owners[(partition + i) & mask]);
    }
    return new ArrayList<>(seen);
  }

  private void checkPartition(int partition) {
    if (partition < 0 || partition >= owners.length) {
      throw invalid("partition " + partition + " is out of range: this ring has partitions 0 to "
          + (owners.length - 1));
    }
  }

  private static void checkN(int n) {
    if (n < 1) {
      throw invalid("n = " + n + " is invalid: a preference list needs n >= 1");
    }
  }

  private static void checkPartitionCount(int partitions, String what) {
    if (partitions < 1 || partitions > MAX_PARTITIONS || Integer.bitCount(partitions) != 1) {
      throw invalid(what + " is invalid: the partition count must be a power of two from 1 to "
          + MAX_PARTITIONS);
    }
  }

  private static RingkvException tooManyNodes(int nodes, int partitions) {
    return invalid(nodes + " nodes cannot share " + partitions
        + " partitions: a ring holds at most as many nodes as partitions");
  }

  private static RingkvException invalid(String message) {
    return new RingkvException(ErrorCode.INVALID_ARGUMENT, message);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ring other && Arrays.equals(owners, other.owners);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "Ring[partitions=" + owners.length + ", nodes="
        + (nodes.size() <= 8 ? nodes.toString() : Integer.toString(nodes.size())) + "]";
  }
}
