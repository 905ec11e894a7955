package io.ringkv.api.spi;

import io.ringkv.api.NodeId;
import java.time.Clock;

/** What the host gives a plugin when it creates one of its components. */
public interface PluginContext {
  /** The node the component runs on. */
  NodeId nodeId();

  /** The node's wall clock (a manual one in tests). */
  Clock clock();

  static PluginContext of(NodeId nodeId, Clock clock) {
    return new PluginContext() {
      @Override
      public NodeId nodeId() {
        return nodeId;
      }

      @Override
      public Clock clock() {
        return clock;
      }
    };
  }
}
