package io.ringkv.replication;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.Key;
import io.ringkv.api.RingkvException;
import io.ringkv.api.Siblings;
import io.ringkv.replication.api.ReplicaRequest;
import io.ringkv.replication.api.ReplicaResponse;
import io.ringkv.ring.Token;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answering side of an anti-entropy exchange: tree hashes, segment entries, the keys of
 * tokens (an answer holds at most {@value #ANSWER_BYTES} bytes of values; the tokens left over are
 * named for a later request), and many keys stored at once.
 */
final class TreeRequests {
  private static final Logger log = LoggerFactory.getLogger(TreeRequests.class);
  static final long ANSWER_BYTES = 4L << 20;

  private final MerkleTrees trees;
  private final TrackedEngine engine;

  TreeRequests(MerkleTrees trees, TrackedEngine engine) {
    this.trees = trees;
    this.engine = engine;
  }

  ReplicaResponse levels(ReplicaRequest.TreeLevel r) {
    check(r.partition(), r.n());
    long[] h = trees.tree(r.partition(), r.n())
        .hashes(r.level(), r.indexes().stream().mapToInt(Integer::intValue).toArray());
    List<Long> out = new ArrayList<>(h.length);
    for (long v : h) {
      out.add(v);
    }
    return new ReplicaResponse.TreeHashes(out);
  }

  ReplicaResponse entries(ReplicaRequest.SegmentEntries r) {
    check(r.partition(), r.n());
    MerkleTree tree = trees.tree(r.partition(), r.n());
    List<Long> tokens = new ArrayList<>();
    List<Long> leaves = new ArrayList<>();
    for (int segment : r.segments()) {
      long[][] e = tree.entries(segment);
      for (int i = 0; i < e[0].length; i++) {
        tokens.add(e[0][i]);
        leaves.add(e[1][i]);
      }
    }
    return new ReplicaResponse.TreeEntries(tokens, leaves);
  }

  ReplicaResponse fetch(ReplicaRequest.FetchTokens r) {
    check(r.partition(), r.n());
    Set<Long> wanted = new HashSet<>(r.tokens());
    Map<Long, List<Key>> byToken = new HashMap<>();
    engine.forEachKeyInPartition(r.partition(), key -> {
      if (trees.replicasOf(key) == r.n()) {
        long token = Token.of(key).value();
        if (wanted.contains(token)) {
          byToken.computeIfAbsent(token, t -> new ArrayList<>(1)).add(key);
        }
      }
    });
    Map<Key, Siblings> found = new LinkedHashMap<>();
    List<Long> unsent = new ArrayList<>();
    long budget = ANSWER_BYTES;
    for (long token : r.tokens()) {
      if (budget <= 0 && !found.isEmpty()) {
        unsent.add(token);
        continue;
      }
      for (Key key : byToken.getOrDefault(token, List.of())) {
        Siblings s = engine.get(key);
        if (!s.isEmpty()) {
          found.put(key, s);
          budget -= Exchange.valueBytes(s) + 64;
        }
      }
    }
    return new ReplicaResponse.KeysFetched(found, unsent);
  }

  /** Keys and value bytes per (partition, n) this node holds: one pass over the engine. */
  ReplicaResponse sizes() {
    List<Integer> partitions = new ArrayList<>();
    List<Integer> factors = new ArrayList<>();
    List<Long> keys = new ArrayList<>();
    List<Long> bytes = new ArrayList<>();
    for (int p = 0; p < trees.partitions(); p++) {
      Map<Integer, long[]> byN = new java.util.TreeMap<>();
      engine.forEachInPartition(p, (key, siblings) -> {
        long[] c = byN.computeIfAbsent(trees.replicasOf(key), n -> new long[2]);
        c[0]++;
        c[1] += Exchange.valueBytes(siblings);
      });
      for (Map.Entry<Integer, long[]> e : byN.entrySet()) {
        partitions.add(p);
        factors.add(e.getKey());
        keys.add(e.getValue()[0]);
        bytes.add(e.getValue()[1]);
      }
    }
    return new ReplicaResponse.Sizes(partitions, factors, keys, bytes);
  }

  ReplicaResponse store(ReplicaRequest.StoreMany r) {
    int failed = 0;
    String last = "";
    for (Map.Entry<Key, Siblings> e : r.entries().entrySet()) {
      try {
        engine.put(e.getKey(), e.getValue());
      } catch (RingkvException ex) {
        failed++;
        last = ex.getMessage();
      }
    }
    if (failed > 0) {
      log.warn("{} of {} keys sent by anti-entropy could not be stored here; the last: {}",
          failed, r.entries().size(), last);
    }
    return new ReplicaResponse.Stored();
  }

  private void check(int partition, int n) {
    if (partition < 0 || partition >= trees.partitions()) {
      throw new RingkvException(ErrorCode.INVALID_ARGUMENT, "partition " + partition
          + " is not in [0, " + trees.partitions() + ")");
    }
    if (n < 1) {
      throw new RingkvException(ErrorCode.INVALID_ARGUMENT, "a replication factor of " + n
          + " is invalid: n is at least 1");
    }
    if (!trees.ready(partition)) {
      throw new RingkvException(ErrorCode.UNAVAILABLE, "the hash trees of partition "
          + partition + " are being rebuilt");
    }
  }
}
