package io.ringkv.replication;

import io.ringkv.api.NodeId;

/**
 * Which peers are believed up (from the failure detector). It only changes routing — which node
 * coordinates, which are asked first — never ownership.
 */
@FunctionalInterface
public interface Liveness {
  Liveness ALL_UP = node -> true;

  boolean isUp(NodeId node);
}
