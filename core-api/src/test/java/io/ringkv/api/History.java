package io.ringkv.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded simulation of one key's life under the DVV rules: a few coordinators write with
 * blind, fresh or stale contexts (dots above all they know and all they issued), replicate their
 * whole reconciled set to random replicas, and replicas exchange sets at random. Its states are
 * the realistic inputs for the {@link Siblings} algebra: contexts are joins of real reads, so a
 * context that covers a dot also covers what that dot's version had seen.
 */
record History(List<Siblings> replicas, List<Siblings> states, List<Versioned<Bytes>> versions,
    long seed) {

  static History generate(long seed) {
    Random random = new Random(seed);
    int nodes = 2 + random.nextInt(3);
    Actor[] actors = new Actor[nodes];
    long[] lastIssued = new long[nodes];
    Siblings[] replicas = new Siblings[nodes];
    for (int i = 0; i < nodes; i++) {
      actors[i] = new Actor(NodeId.of("n" + i), random.nextInt(3));
      replicas[i] = Siblings.empty();
    }
    List<Siblings> states = new ArrayList<>();
    List<Versioned<Bytes>> versions = new ArrayList<>();
    List<VectorClock> reads = new ArrayList<>(List.of(VectorClock.empty()));
    int steps = 1 + random.nextInt(24);
    for (int step = 0; step < steps; step++) {
      int op = random.nextInt(10);
      if (op < 6) {
        int coordinator = random.nextInt(nodes);
        VectorClock context = context(random, replicas, reads);
        VectorClock knowledge = replicas[coordinator].clock().merge(context);
        long counter = Math.max(knowledge.counter(actors[coordinator]), lastIssued[coordinator]) + 1;
        lastIssued[coordinator] = counter;
        boolean tombstone = random.nextInt(6) == 0;
        Versioned<Bytes> v = new Versioned<>(tombstone ? Bytes.EMPTY : Bytes.utf8("v" + step),
            new Dot(actors[coordinator], counter), context, 1000L + step, tombstone);
        versions.add(v);
        replicas[coordinator] = replicas[coordinator].add(v);
        for (int i = 0; i < nodes; i++) {
          if (i != coordinator && random.nextBoolean()) {
            replicas[i] = replicas[i].merge(replicas[coordinator]);
          }
        }
      } else {
        int a = random.nextInt(nodes);
        int b = random.nextInt(nodes);
        Siblings both = replicas[a].merge(replicas[b]);
        replicas[a] = both;
        replicas[b] = both;
      }
      states.addAll(List.of(replicas));
    }
    return new History(List.of(replicas), List.copyOf(states), List.copyOf(versions), seed);
  }

  /** Blind, a fresh read of some replicas, or a context read earlier. */
  private static VectorClock context(Random random, Siblings[] replicas, List<VectorClock> reads) {
    int kind = random.nextInt(4);
    if (kind == 0) {
      return VectorClock.empty();
    }
    if (kind == 1) {
      return reads.get(random.nextInt(reads.size()));
    }
    Siblings read = Siblings.empty();
    for (Siblings replica : replicas) {
      if (random.nextBoolean()) {
        read = read.merge(replica);
      }
    }
    VectorClock context = read.clock();
    reads.add(context);
    return context;
  }

  Siblings anyState(Random random) {
    return states.get(random.nextInt(states.size()));
  }

  /** A random subset of all versions ever written (dots are unique across it). */
  List<Versioned<Bytes>> anySubset(Random random) {
    List<Versioned<Bytes>> subset = new ArrayList<>();
    for (Versioned<Bytes> v : versions) {
      if (random.nextInt(3) > 0) {
        subset.add(v);
      }
    }
    return subset;
  }

  @Override
  public String toString() {
    return "History[seed=" + seed + ", versions=" + versions.size() + ", replicas=" + replicas + "]";
  }
}
