package io.ringkv.transport.netty.http;

import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What the HTTP API shows about the cluster beyond the key-value store: the operator routes
 * {@code /buckets/{b}/keys/{k}/replicas}, {@code /cluster/ring}, {@code /cluster/members} and
 * {@code /health}. The server module implements it over membership and replication. Methods are
 * called on an event loop: they must not block (return futures for anything remote).
 */
public interface ClusterView {
  /** This node's id (shown by {@code /health}). */
  NodeId self();

  /** The key's replicas in preference order (the top N of its bucket). */
  List<NodeId> preferenceList(Key key);

  /**
   * What each replica holds for the key, asked directly (no quorum, no read repair): one future
   * per node of {@link #preferenceList}, completing with that node's versions (tombstones
   * included) or failing when it cannot answer. A node that fails or does not answer within
   * {@link HttpSettings#replicasTimeout()} is reported {@code down}.
   */
  Map<NodeId, CompletableFuture<Siblings>> fetchReplicas(Key key);

  /**
   * The hints held for the key (sloppy quorum), asked of every node believed up: one future per
   * node, completing with what that node holds for the key per intended owner (empty when none)
   * or failing when it cannot answer. Nodes that do not answer within
   * {@link HttpSettings#replicasTimeout()} are left out.
   */
  default Map<NodeId, CompletableFuture<Map<NodeId, Siblings>>> hints(Key key) {
    return Map.of();
  }

  /** The current ring and its version. */
  RingView ring();

  /** Every known node with its address and whether the failure detector thinks it is up. */
  List<MemberView> members();

  /**
   * Admin: joins the cluster that the node at {@code seed} ({@code host:port}, node-to-node
   * port) belongs to. Completes with a one-line description of what happened.
   */
  default CompletableFuture<String> join(String seed) {
    return CompletableFuture.failedFuture(new io.ringkv.api.RingkvException(
        io.ringkv.api.ErrorCode.INVALID_ARGUMENT, "this node does not support joining"));
  }

  /**
   * Admin: what joining the cluster of {@code seed} would move to this node, before anything
   * moves (the seed's ring, the sizes its nodes hold).
   */
  default CompletableFuture<PlanView> joinPlan(String seed) {
    return unsupported("plans");
  }

  /** Admin: what this node leaving would move, before anything moves. */
  default CompletableFuture<PlanView> leavePlan() {
    return unsupported("plans");
  }

  /** Admin: what removing the dead node {@code node} would rebuild, before anything moves. */
  default CompletableFuture<PlanView> removePlan(String node) {
    return unsupported("plans");
  }

  /**
   * Admin: removes a dead node from the ring ({@code ringkv remove}); its partitions are rebuilt
   * on their new owners from the surviving replicas. Completes with a one-line description.
   */
  default CompletableFuture<String> remove(String node) {
    return unsupported("remove");
  }

  /** The ring change in progress and this node's part in it ({@link HandoffView#NONE}: none). */
  default HandoffView handoff() {
    return HandoffView.NONE;
  }

  private static <T> CompletableFuture<T> unsupported(String what) {
    return CompletableFuture.failedFuture(new io.ringkv.api.RingkvException(
        io.ringkv.api.ErrorCode.INVALID_ARGUMENT, "this node does not support " + what));
  }

  /**
   * Admin: starts an anti-entropy round on this node now, over one partition or all (after any
   * round already running); with {@code wait}, completes when it ends, with what it did,
   * otherwise at once. Completes with a one-line description.
   */
  default CompletableFuture<String> repair(java.util.OptionalInt partition, boolean wait) {
    return CompletableFuture.failedFuture(new io.ringkv.api.RingkvException(
        io.ringkv.api.ErrorCode.INVALID_ARGUMENT, "this node does not support repair"));
  }

  /**
   * Admin: this node leaves the cluster; its partitions move to the others. Completes with a
   * one-line description of what happened.
   */
  default CompletableFuture<String> leave() {
    return CompletableFuture.failedFuture(new io.ringkv.api.RingkvException(
        io.ringkv.api.ErrorCode.INVALID_ARGUMENT, "this node does not support leaving"));
  }
}
