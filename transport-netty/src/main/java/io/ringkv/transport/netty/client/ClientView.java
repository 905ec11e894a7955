package io.ringkv.transport.netty.client;

import io.ringkv.api.NodeId;
import io.ringkv.ring.Ring;
import java.util.List;
import java.util.Map;

/**
 * What the binary client protocol tells a client about the cluster, so it can route each request
 * straight to its key's coordinator: the ring and its version, every node's client address and
 * whether it is up, and the n of each bucket. The server module implements it over membership.
 * Called on event loops: it must not block.
 */
public interface ClientView {
  /** One node as a client reaches it; {@code clientPort} 0 when the node does not say. */
  record Node(NodeId id, String host, int clientPort, boolean up) {}

  /** The ring to route by. */
  record RingInfo(long version, Ring ring, List<Node> nodes, int defaultN,
      Map<String, Integer> bucketN) {
    public RingInfo {
      nodes = List.copyOf(nodes);
      bucketN = Map.copyOf(bucketN);
    }
  }

  /** The version of this node's ring; every response carries it, so clients know when to ask. */
  long ringVersion();

  /** The ring and what a client needs with it. */
  RingInfo ring();
}
