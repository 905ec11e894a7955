package io.ringkv.membership;

import java.util.concurrent.CompletableFuture;

/**
 * How membership reaches a peer: one push-pull gossip exchange. Implemented over Netty by the
 * transport module and in-process in tests. The receiving side hands the state it got to
 * {@link Membership#onGossip} and answers with the state that returns.
 */
public interface GossipTransport {
  /**
   * Sends {@code mine} to the peer at {@code peer.host():peer.port()} and completes with the
   * peer's state after it merged {@code mine}. Completes exceptionally when the peer cannot be
   * reached or fails; must not block the caller.
   *
   * <p>Only the address of {@code peer} is reliable: for a seed whose node id is not known yet,
   * {@code peer} is a placeholder whose id is {@code host:port} and whose status is
   * {@link Member.Status#JOINING}.
   */
  CompletableFuture<ClusterState> exchange(Member peer, ClusterState mine);
}
