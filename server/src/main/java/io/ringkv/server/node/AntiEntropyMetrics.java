package io.ringkv.server.node;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.ringkv.replication.AntiEntropyStats;
import io.ringkv.replication.ExchangeRecord;
import io.ringkv.replication.ReplicaNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Anti-entropy on {@code /metrics}: rounds, exchanges (and failed ones), keys and bytes repaired
 * and tombstones reaped since start ({@code ringkv_antientropy_*_total}), whether a round runs
 * now, and per partition and peer the end of the last exchange
 * ({@code ringkv_antientropy_last_exchange_timestamp_seconds{partition, peer}}), whether it
 * completed ({@code ..._last_exchange_ok}) and the keys repaired with that peer
 * ({@code ..._partition_keys_repaired}). The per-partition series appear with the first exchange;
 * a scrape reads the records once a second at most.
 */
final class AntiEntropyMetrics {
  private static final long REFRESH_NANOS = 1_000_000_000L;

  private final ReplicaNode node;
  private final MeterRegistry registry;
  private final Set<String> registered = ConcurrentHashMap.newKeySet();
  private Map<String, ExchangeRecord> cached = Map.of();
  private long cachedAt;

  private AntiEntropyMetrics(ReplicaNode node, MeterRegistry registry) {
    this.node = node;
    this.registry = registry;
  }

  static AntiEntropyMetrics bind(ReplicaNode node, MeterRegistry registry) {
    AntiEntropyMetrics m = new AntiEntropyMetrics(node, registry);
    counter(registry, m, "ringkv.antientropy.rounds", AntiEntropyStats::rounds,
        "Anti-entropy rounds this node finished");
    counter(registry, m, "ringkv.antientropy.exchanges", AntiEntropyStats::exchanges,
        "Anti-entropy exchanges this node started, finished or failed");
    counter(registry, m, "ringkv.antientropy.exchanges.failed", AntiEntropyStats::failedExchanges,
        "Anti-entropy exchanges that failed (peer down or slow, trees being rebuilt)");
    counter(registry, m, "ringkv.antientropy.keys.repaired", AntiEntropyStats::keysRepaired,
        "Keys anti-entropy repaired (one side or both lacked part of their versions)");
    FunctionCounter.builder("ringkv.antientropy.repaired", m,
        x -> x.node.antiEntropyStats().bytesRepaired()).baseUnit(BaseUnits.BYTES)
        .description("Value bytes anti-entropy moved to repair keys").register(registry);
    counter(registry, m, "ringkv.antientropy.tombstones.reaped",
        AntiEntropyStats::tombstonesReaped,
        "Keys whose tombstones this node removed once every replica held them");
    Gauge.builder("ringkv.antientropy.running", m,
        x -> x.node.antiEntropyStats().running() ? 1 : 0).strongReference(true)
        .description("1 while an anti-entropy round runs on this node").register(registry);
    Gauge.builder("ringkv.antientropy.tree.entries", m,
        x -> x.node.antiEntropyStats().treeEntries()).strongReference(true)
        .description("Entries in this node's anti-entropy hash trees (about its keys)")
        .register(registry);
    // Reading this one refreshes the records, which registers the series of new exchanges.
    Gauge.builder("ringkv.antientropy.exchange.pairs", m, x -> x.records().size())
        .strongReference(true)
        .description("Partition and peer pairs this node has exchanged with").register(registry);
    return m;
  }

  private static void counter(MeterRegistry registry, AntiEntropyMetrics m, String name,
      java.util.function.ToLongFunction<AntiEntropyStats> value, String description) {
    FunctionCounter.builder(name, m, x -> value.applyAsLong(x.node.antiEntropyStats()))
        .description(description).register(registry);
  }

  /** Registers the series of any exchange not seen before; called on each scrape's refresh. */
  private void register(ExchangeRecord r) {
    String id = r.partition() + "/" + r.peer().value();
    if (!registered.add(id)) {
      return;
    }
    String partition = Integer.toString(r.partition());
    String peer = r.peer().value();
    Gauge.builder("ringkv.antientropy.last.exchange.timestamp", this,
        x -> x.record(id).lastMillis() / 1000.0).tag("partition", partition).tag("peer", peer)
        .baseUnit("seconds").strongReference(true)
        .description("When the last anti-entropy exchange of the partition with the peer ended")
        .register(registry);
    Gauge.builder("ringkv.antientropy.last.exchange.ok", this, x -> x.record(id).ok() ? 1 : 0)
        .tag("partition", partition).tag("peer", peer).strongReference(true)
        .description("1 when the last exchange of the partition with the peer completed")
        .register(registry);
    Gauge.builder("ringkv.antientropy.partition.keys.repaired", this,
        x -> x.record(id).keysRepaired()).tag("partition", partition).tag("peer", peer)
        .strongReference(true)
        .description("Keys of the partition repaired with the peer since this node started")
        .register(registry);
  }

  private ExchangeRecord record(String id) {
    ExchangeRecord r = records().get(id);
    return r != null ? r : new ExchangeRecord(0, node.id(), 0, false, 0, "");
  }

  /** Also called before each scrape so that new partitions and peers show. */
  synchronized Map<String, ExchangeRecord> records() {
    long now = System.nanoTime();
    if (cachedAt == 0 || now - cachedAt > REFRESH_NANOS) {
      List<ExchangeRecord> all = node.exchanges();
      Map<String, ExchangeRecord> byId = new HashMap<>();
      for (ExchangeRecord r : all) {
        byId.put(r.partition() + "/" + r.peer().value(), r);
      }
      cached = byId;
      cachedAt = now;
      all.forEach(this::register);
    }
    return cached;
  }
}
