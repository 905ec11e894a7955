package io.ringkv.versioning;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded simulation of one key on a few replicas, driven the way the coordinator drives this
 * module: dots from a {@link DotIssuer} per node, client contexts that went through
 * {@link ContextCodec} (blind, fresh or stale), the whole reconciled set replicated after a put,
 * read repair through the {@link Reconciler}, anti-entropy between pairs, and now and then a node
 * that loses its disk and comes back in a new epoch.
 */
record SimulatedKey(Map<NodeId, Siblings> replicas, List<Siblings> states,
    List<Versioned<Bytes>> versions, List<VectorClock> contexts, long seed) {

  static SimulatedKey generate(long seed) {
    Random random = new Random(seed);
    int n = 2 + random.nextInt(4);
    NodeId[] nodes = new NodeId[n];
    DotIssuer[] issuers = new DotIssuer[n];
    Map<NodeId, Siblings> replicas = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      nodes[i] = NodeId.of("10.0.0." + i + ":7000");
      issuers[i] = new DotIssuer(new Actor(nodes[i], Epochs.fresh(random)));
      replicas.put(nodes[i], Siblings.empty());
    }
    List<Siblings> states = new ArrayList<>();
    List<Versioned<Bytes>> versions = new ArrayList<>();
    List<VectorClock> contexts = new ArrayList<>(List.of(VectorClock.empty()));
    int steps = 1 + random.nextInt(30);
    for (int step = 0; step < steps; step++) {
      int op = random.nextInt(20);
      if (op < 11) {
        int c = random.nextInt(n);
        VectorClock context = clientContext(random, replicas, contexts);
        VectorClock knowledge = replicas.get(nodes[c]).clock().merge(context);
        boolean tombstone = random.nextInt(6) == 0;
        Versioned<Bytes> v = new Versioned<>(tombstone ? Bytes.EMPTY : Bytes.utf8("v" + step),
            issuers[c].next(knowledge), context, 1_000L + 10L * step + random.nextInt(10),
            tombstone);
        versions.add(v);
        Siblings local = replicas.get(nodes[c]).add(v);
        replicas.put(nodes[c], local);
        for (NodeId other : nodes) {
          if (!other.equals(nodes[c]) && random.nextBoolean()) {
            replicas.merge(other, local, Siblings::merge);
          }
        }
      } else if (op < 14) {
        Reconciled r = Reconciler.reconcile(someOf(random, replicas));
        for (NodeId stale : r.stale()) {
          replicas.merge(stale, r.merged(), Siblings::merge);
        }
      } else if (op < 19) {
        NodeId a = nodes[random.nextInt(n)];
        NodeId b = nodes[random.nextInt(n)];
        Siblings both = replicas.get(a).merge(replicas.get(b));
        replicas.put(a, both);
        replicas.put(b, both);
      } else {
        int lost = random.nextInt(n);
        issuers[lost] = new DotIssuer(new Actor(nodes[lost], Epochs.fresh(random)));
        replicas.put(nodes[lost], Siblings.empty());
      }
      states.addAll(replicas.values());
    }
    return new SimulatedKey(Collections.unmodifiableMap(replicas), List.copyOf(states),
        List.copyOf(versions), List.copyOf(contexts), seed);
  }

  /** Blind, stale (a context read earlier) or fresh (a get over some replicas, via the codec). */
  private static VectorClock clientContext(Random random, Map<NodeId, Siblings> replicas,
      List<VectorClock> contexts) {
    int kind = random.nextInt(4);
    if (kind == 0) {
      return VectorClock.empty();
    }
    if (kind == 1) {
      return contexts.get(random.nextInt(contexts.size()));
    }
    Context wire = ContextCodec.encode(Reconciler.reconcile(someOf(random, replicas)).merged().clock());
    VectorClock context = ContextCodec.decode(Context.parse(wire.encoded()));
    contexts.add(context);
    return context;
  }

  static Map<NodeId, Siblings> someOf(Random random, Map<NodeId, Siblings> replicas) {
    Map<NodeId, Siblings> some = new LinkedHashMap<>();
    replicas.forEach((node, s) -> {
      if (random.nextInt(3) > 0) {
        some.put(node, s);
      }
    });
    return some;
  }

  Siblings anyState(Random random) {
    return states.get(random.nextInt(states.size()));
  }

  @Override
  public String toString() {
    return "SimulatedKey[seed=" + seed + ", versions=" + versions.size() + ", replicas="
        + replicas + "]";
  }
}
