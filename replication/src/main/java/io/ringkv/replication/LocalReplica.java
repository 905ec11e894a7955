package io.ringkv.replication;

import io.ringkv.api.Key;
import io.ringkv.api.Siblings;
import io.ringkv.storage.spi.StorageEngine;
import java.util.Map;

/**
 * What this node answers when asked for a key: what its engine stores, merged with the hints it
 * holds for the key (as a fall-back standing in for a primary that is down, those are the only
 * copy it has).
 */
final class LocalReplica {
  private final StorageEngine engine;
  private final HintedHandoff handoff;

  LocalReplica(StorageEngine engine, HintedHandoff handoff) {
    this.engine = engine;
    this.handoff = handoff;
  }

  Siblings fetch(Key key) {
    Siblings held = engine.get(key);
    Map<?, Siblings> hints = handoff.pendingFor(key);
    for (Siblings hinted : hints.values()) {
      held = held.merge(hinted);
    }
    return held;
  }
}
