package io.ringkv.client;

import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.ring.PreferenceList;
import io.ringkv.ring.Ring;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ring as a node described it to the client: which node owns each partition, where every
 * node takes client connections, which of them the node believed up, and the n of each bucket,
 * so that the client computes a key's preference list exactly as the nodes do.
 *
 * @param version the ring's version; a node answering with a higher one makes the client fetch
 *     the ring again
 * @param nodes every member, in the order the node listed them
 * @param defaultN the n of a bucket the cluster does not declare
 * @param bucketN the n of each declared bucket
 */
public record ClientRing(long version, Ring ring, List<Node> nodes, int defaultN,
    Map<String, Integer> bucketN) {
  public ClientRing {
    nodes = List.copyOf(nodes);
    bucketN = Map.copyOf(bucketN);
    if (defaultN < 1) {
      throw new IllegalArgumentException("default n must be at least 1, was " + defaultN);
    }
  }

  /**
   * A member of the cluster.
   *
   * @param clientPort the port of its binary client protocol; 0 when it does not say (it cannot
   *     be reached by this client)
   * @param up whether the answering node's failure detector believed it up
   */
  public record Node(NodeId id, String host, int clientPort, boolean up) {}

  /** The n of {@code bucket}: its own when the cluster declares it, else the default. */
  public int n(String bucket) {
    return bucketN.getOrDefault(bucket, defaultN);
  }

  /** The key's preference list: its bucket's n primaries, then the fall-backs. */
  public PreferenceList preferenceList(Key key) {
    return ring.preferenceList(key, n(key.bucket()));
  }

  public Optional<Node> node(NodeId id) {
    return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
  }
}
