package io.ringkv.server.node;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.RingkvException;
import io.ringkv.membership.ClusterState;
import io.ringkv.membership.Member;
import io.ringkv.membership.Membership;
import io.ringkv.ring.Ring;
import io.ringkv.server.config.BucketConfig;
import io.ringkv.server.config.ClusterConfig;
import io.ringkv.transport.netty.client.ClientView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the binary protocol tells clients, over membership: the ring and its version from one
 * snapshot of the cluster state, every member that has not left with its client address and
 * whether this node believes it up, and the n of each bucket from the cluster's configuration.
 */
final class NodeClientView implements ClientView {
  private final Membership membership;
  private final int defaultN;
  private final Map<String, Integer> bucketN;

  NodeClientView(Membership membership, ClusterConfig cluster) {
    this.membership = membership;
    this.defaultN = cluster.replication().defaults().n();
    Map<String, Integer> n = new TreeMap<>();
    for (BucketConfig b : cluster.resolvers().buckets().values()) {
      n.put(b.name(), b.quorum(cluster.replication().defaults()).n());
    }
    this.bucketN = Map.copyOf(n);
  }

  @Override
  public long ringVersion() {
    return membership.current().ringVersion();
  }

  @Override
  public RingInfo ring() {
    ClusterState state = membership.current();
    Ring ring = state.ring().orElseThrow(() -> new RingkvException(ErrorCode.UNAVAILABLE,
        "node " + membership.self() + " has no ring yet: it is waiting for one of its seeds"));
    List<Node> nodes = new ArrayList<>();
    for (Member m : state.members().values()) {
      if (m.status() != Member.Status.LEFT) {
        nodes.add(new Node(m.id(), m.host(), m.clientPort(), membership.isUp(m.id())));
      }
    }
    return new RingInfo(state.ringVersion(), ring, nodes, defaultN, bucketN);
  }
}
