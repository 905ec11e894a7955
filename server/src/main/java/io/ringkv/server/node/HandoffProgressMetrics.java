package io.ringkv.server.node;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.ringkv.membership.Membership;
import io.ringkv.replication.ReplicaNode;

/**
 * Ring changes on {@code /metrics}: the ring version and the pending one
 * ({@code ringkv_ring_version}, {@code ringkv_ring_pending_version}, 0 when no change is in
 * progress), this node's part in the handoff ({@code ringkv_handoff_partitions{state=gained|done}},
 * {@code ringkv_handoff_keys}, {@code ringkv_handoff_bytes}) and the keys it removed after handing
 * their partition off ({@code ringkv_handoff_keys_handed_off_total}).
 */
final class HandoffProgressMetrics {
  private HandoffProgressMetrics() {}

  static void bind(ReplicaNode node, Membership membership, MeterRegistry registry) {
    Gauge.builder("ringkv.ring.version", membership, m -> m.current().ringVersion())
        .description("The ring version in effect on this node").register(registry);
    Gauge.builder("ringkv.ring.pending.version", membership, m -> m.current().pendingVersion())
        .description("The ring version a change in progress leads to (0: none)")
        .register(registry);
    Gauge.builder("ringkv.handoff.partitions", node, n -> n.transferProgress().partitions())
        .tag("state", "gained")
        .description("Partitions (per replication factor) this node gains in the ring change")
        .register(registry);
    Gauge.builder("ringkv.handoff.partitions", node, n -> n.transferProgress().done())
        .tag("state", "done").description("Of those, the partitions it holds in full")
        .register(registry);
    Gauge.builder("ringkv.handoff.keys", node, n -> n.transferProgress().keys())
        .description("Keys moved for this node's part of the ring change").register(registry);
    Gauge.builder("ringkv.handoff.bytes", node, n -> n.transferProgress().bytes())
        .baseUnit(BaseUnits.BYTES)
        .description("Value bytes moved for this node's part of the ring change")
        .register(registry);
    FunctionCounter.builder("ringkv.handoff.keys.handed.off", node, ReplicaNode::handedOffKeys)
        .description("Keys this node removed after handing their partition to its replicas")
        .register(registry);
  }
}
