package io.ringkv.replication;

import io.ringkv.api.Dot;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;

/**
 * What the replication layer reports as it works, for metrics and for tests that judge
 * convergence: every method has a no-op default and is called on whatever thread did the work,
 * so an implementation must be quick and thread-safe.
 */
public interface ReplicationListener {
  /** The listener that does nothing. */
  ReplicationListener NONE = new ReplicationListener() { };

  /**
   * A write coordinated here (the version with this dot) started placing its copies on the key's
   * other replicas.
   */
  default void writeStarted(Key key, Dot dot) {
  }

  /**
   * Every copy of the write with this dot is placed: each other primary acknowledged it, or a
   * fall-back or this node holds a hint for it.
   */
  default void writeSettled(Key key, Dot dot) {
  }

  /**
   * A hint this node kept for {@code target} was dropped unreplayed (too old, or over the bound):
   * the target may miss {@code versions} until anti-entropy repairs the key.
   */
  default void hintDropped(NodeId target, Key key, Siblings versions, String reason) {
  }

  /** A hint was handed off to its owner and released. */
  default void hintHandedOff(NodeId target, Key key) {
  }
}
