package io.ringkv.replication;

import io.ringkv.api.NodeId;

/**
 * The last anti-entropy exchange of one partition with one peer, as this node saw it.
 *
 * @param lastMillis when it ended (epoch ms)
 * @param ok whether it completed
 * @param keysRepaired keys repaired with this peer in this partition since the node started
 * @param error why the last one failed; empty when it completed
 */
public record ExchangeRecord(int partition, NodeId peer, long lastMillis, boolean ok,
    long keysRepaired, String error) {
  public ExchangeRecord {
    error = error == null ? "" : error;
  }
}
