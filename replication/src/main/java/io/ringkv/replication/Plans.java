package io.ringkv.replication;

import io.ringkv.api.NodeId;
import io.ringkv.replication.api.ReplicaRequest;
import io.ringkv.replication.api.ReplicaResponse;
import io.ringkv.ring.Ring;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Builds a {@link HandoffPlan}: asks every current node what it holds, then lists the moves. */
final class Plans {
  private final Exchange.Context ctx;
  private final TreeRequests local;
  private final Set<Integer> factors;
  private final AntiEntropySettings rate;

  Plans(Exchange.Context ctx, TreeRequests local, Set<Integer> factors, AntiEntropySettings rate) {
    this.ctx = ctx;
    this.local = local;
    this.factors = Set.copyOf(factors);
    this.rate = rate;
  }

  CompletableFuture<HandoffPlan> plan(Ring current, Ring next, Set<NodeId> gone) {
    Map<NodeId, ReplicaResponse.Sizes> sizes = new ConcurrentHashMap<>();
    List<NodeId> unknown = java.util.Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<?>> asked = new ArrayList<>();
    for (NodeId node : current.nodes()) {
      if (gone.contains(node)) {
        continue;
      }
      if (node.equals(ctx.self())) {
        sizes.put(node, (ReplicaResponse.Sizes) local.sizes());
        continue;
      }
      asked.add(Exchange.ask(ctx, node, new ReplicaRequest.PartitionSizes()).handle((r, e) -> {
        if (e == null && r instanceof ReplicaResponse.Sizes s) {
          sizes.put(node, s);
        } else {
          unknown.add(node);
        }
        return null;
      }));
    }
    return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new))
        .thenApply(v -> build(current, next, gone, sizes, new TreeSet<>(unknown)));
  }

  private HandoffPlan build(Ring current, Ring next, Set<NodeId> gone,
      Map<NodeId, ReplicaResponse.Sizes> sizes, Set<NodeId> unknown) {
    Map<NodeId, Map<Long, long[]>> held = new HashMap<>();
    Set<Integer> all = new TreeSet<>(factors);
    sizes.forEach((node, s) -> {
      Map<Long, long[]> m = new HashMap<>();
      for (int i = 0; i < s.partitions().size(); i++) {
        m.put(id(s.partitions().get(i), s.factors().get(i)),
            new long[] {s.keys().get(i), s.bytes().get(i)});
        all.add(s.factors().get(i));
      }
      held.put(node, m);
    });
    List<HandoffPlan.Move> moves = new ArrayList<>();
    Map<NodeId, long[]> perReceiver = new TreeMap<>();
    long keys = 0;
    long bytes = 0;
    for (int p = 0; p < current.partitions(); p++) {
      for (int n : all) {
        List<NodeId> now = current.preferenceList(p, n).primaries();
        for (NodeId to : next.preferenceList(p, n).primaries()) {
          if (now.contains(to)) {
            continue;
          }
          List<NodeId> from = new ArrayList<>();
          long k = 0;
          long b = 0;
          for (NodeId source : now) {
            if (gone.contains(source) || source.equals(to)) {
              continue;
            }
            from.add(source);
            long[] h = held.getOrDefault(source, Map.of()).get(id(p, n));
            if (h != null && h[0] > k) {
              k = h[0];
              b = h[1];
            }
          }
          moves.add(new HandoffPlan.Move(p, n, from, to, k, b));
          long[] r = perReceiver.computeIfAbsent(to, x -> new long[2]);
          r[0] += k;
          r[1] += b;
          keys += k;
          bytes += b;
        }
      }
    }
    long slowest = 0;
    for (long[] r : perReceiver.values()) {
      double seconds = Math.max(
          rate.maxKeysPerSecond() == 0 ? 0 : (double) r[0] / rate.maxKeysPerSecond(),
          rate.maxBytesPerSecond() == 0 ? 0 : (double) r[1] / rate.maxBytesPerSecond());
      slowest = Math.max(slowest, (long) Math.ceil(seconds * 1000));
    }
    return new HandoffPlan(moves, keys, bytes, slowest, rate.maxKeysPerSecond(),
        rate.maxBytesPerSecond(), new ArrayList<>(unknown));
  }

  private static long id(int partition, int n) {
    return ((long) partition << 32) | n;
  }
}
