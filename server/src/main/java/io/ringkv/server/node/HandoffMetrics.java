package io.ringkv.server.node;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.ringkv.api.NodeId;
import io.ringkv.replication.ReplicaNode;
import io.ringkv.storage.spi.HintBacklog;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hinted handoff on {@code /metrics}: per target (every other member, once it is known) the hints
 * this node holds for it ({@code ringkv_hints_pending}), their bytes ({@code ringkv_hints_bytes})
 * and the age of the oldest ({@code ringkv_hints_oldest_age_seconds}); and the hints kept, handed
 * off and dropped since start. A scrape reads the backlogs once a second at most. The gauges hold
 * this object strongly, as {@link StorageMetrics} explains.
 */
final class HandoffMetrics {
  private static final long REFRESH_NANOS = 1_000_000_000L;

  private final ReplicaNode node;
  private final MeterRegistry registry;
  private final Clock clock;
  private final Set<NodeId> registered = ConcurrentHashMap.newKeySet();
  private Map<NodeId, HintBacklog> cached = Map.of();
  private long cachedAt;

  private HandoffMetrics(ReplicaNode node, MeterRegistry registry, Clock clock) {
    this.node = node;
    this.registry = registry;
    this.clock = clock;
  }

  static HandoffMetrics bind(ReplicaNode node, MeterRegistry registry, Clock clock) {
    HandoffMetrics m = new HandoffMetrics(node, registry, clock);
    FunctionCounter.builder("ringkv.hints.kept", m, x -> x.node.handoffCounts().kept())
        .description("Hints this node kept for primaries that missed a write").register(registry);
    FunctionCounter.builder("ringkv.hints.handed.off", m, x -> x.node.handoffCounts().handedOff())
        .description("Hints this node handed off to their owner").register(registry);
    FunctionCounter.builder("ringkv.hints.dropped", m, x -> x.node.handoffCounts().dropped())
        .description("Hints dropped unreplayed (past handoff.max.hint.age or .bytes)")
        .register(registry);
    Gauge.builder("ringkv.hints.targets", m, x -> x.backlogs().size()).strongReference(true)
        .description("Nodes this node holds hints for").register(registry);
    m.target(node.id()); // keeps the per-target families present even before any hint
    node.hintBacklogs().keySet().forEach(m::target);
    return m;
  }

  /** Registers the per-target gauges of {@code target} (once). */
  void target(NodeId target) {
    if (!registered.add(target)) {
      return;
    }
    String t = target.value();
    Gauge.builder("ringkv.hints.pending", this, x -> x.backlog(target).hints()).tag("target", t)
        .strongReference(true).description("Hints this node holds for the target")
        .register(registry);
    Gauge.builder("ringkv.hints.bytes", this, x -> x.backlog(target).bytes()).tag("target", t)
        .strongReference(true).baseUnit(BaseUnits.BYTES)
        .description("Bytes of the hints this node holds for the target").register(registry);
    Gauge.builder("ringkv.hints.oldest.age", this,
        x -> x.backlog(target).oldestAgeMillis(x.clock.millis()) / 1000.0).tag("target", t)
        .strongReference(true).baseUnit("seconds")
        .description("Age of the oldest hint this node holds for the target").register(registry);
  }

  private HintBacklog backlog(NodeId target) {
    return backlogs().getOrDefault(target, HintBacklog.EMPTY);
  }

  private synchronized Map<NodeId, HintBacklog> backlogs() {
    long now = System.nanoTime();
    if (cachedAt == 0 || now - cachedAt > REFRESH_NANOS) {
      cached = node.hintBacklogs();
      cachedAt = now;
      cached.keySet().forEach(this::target);
    }
    return cached;
  }
}
