package io.ringkv.membership;

import io.ringkv.api.NodeId;
import io.ringkv.membership.Member.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Whom to gossip with in a round (Cassandra's choice): a random live peer; also, with
 * probability {@code down / (live + 1)}, a random peer believed down, so a healed partition or a
 * returning node is noticed; and a seed when no peer is live, or, with probability
 * {@code seeds / (live + down + 1)}, when the live peer chosen is not a seed, so separate
 * groups keep meeting at the seeds. LEFT members are never chosen.
 */
final class PeerSelector {
  private final NodeId self;
  private final RandomGenerator random;

  PeerSelector(NodeId self, RandomGenerator random) {
    this.self = self;
    this.random = random;
  }

  List<Member> targets(ClusterState state, Liveness liveness, List<HostPort> seeds,
      long nowMillis) {
    List<Member> live = new ArrayList<>();
    List<Member> down = new ArrayList<>();
    for (Member m : state.members().values()) {
      if (m.id().equals(self) || m.status() == Status.LEFT) {
        continue;
      }
      (liveness.isUp(m.id(), nowMillis) ? live : down).add(m);
    }
    List<Member> targets = new ArrayList<>(3);
    boolean liveSeed = false;
    if (!live.isEmpty()) {
      Member peer = live.get(random.nextInt(live.size()));
      targets.add(peer);
      liveSeed = seeds.contains(peer.address());
    }
    if (!down.isEmpty() && random.nextDouble() < down.size() / (live.size() + 1.0)) {
      targets.add(down.get(random.nextInt(down.size())));
    }
    if (!seeds.isEmpty() && (live.isEmpty()
        || (!liveSeed && random.nextDouble() < seeds.size() / (live.size() + down.size() + 1.0)))) {
      HostPort seed = seeds.get(random.nextInt(seeds.size()));
      boolean chosen = false;
      for (Member t : targets) {
        chosen |= t.address().equals(seed);
      }
      if (!chosen) {
        targets.add(memberAt(state, seed));
      }
    }
    return targets;
  }

  /** The member at the address, or a placeholder with id {@code host:port} if none is known. */
  static Member memberAt(ClusterState state, HostPort address) {
    for (Member m : state.members().values()) {
      if (m.address().equals(address)) {
        return m;
      }
    }
    return new Member(NodeId.of(address.toString()), address.host(), address.port(),
        address.port(), 0, Status.JOINING, 0);
  }
}
