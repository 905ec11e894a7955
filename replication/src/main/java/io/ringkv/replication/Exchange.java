package io.ringkv.replication;

import io.ringkv.api.Bytes;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import io.ringkv.api.Scheduler;
import io.ringkv.api.Siblings;
import io.ringkv.api.Versioned;
import io.ringkv.replication.api.ReplicaNetwork;
import io.ringkv.replication.api.ReplicaRequest;
import io.ringkv.replication.api.ReplicaResponse;
import io.ringkv.ring.Token;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One anti-entropy exchange of the keys of one partition and replication factor with one peer:
 * compares the roots of the two trees, walks down only the inner nodes and segments whose hashes
 * differ, lists the differing segments' entries, and for each token whose leaf differs fetches
 * the peer's versions, merges them with this node's ({@link Siblings#merge}: the DVV rules, so
 * nothing is superseded that its writer did not see) and stores the result on whichever side
 * lacked part of it. Both sides end with the same sibling set for every key compared. Fetches go
 * in batches paced by the shared {@link RateLimiter}; every message waits at most the request
 * timeout, and an exchange that fails stops where it is (what it already repaired stays repaired).
 */
final class Exchange {
  private static final Logger log = LoggerFactory.getLogger(Exchange.class);
  private static final int SEGMENTS_PER_REQUEST = 256;
  private static final int MAX_BATCH = 512;
  private static final int MIN_BATCH = 16;

  /** What an exchange did: {@code inSync} when the trees were equal from the start. */
  record Outcome(int partition, int n, NodeId peer, boolean inSync, long keysCompared,
      long keysRepaired, long bytesMoved) {}

  /**
   * What every exchange of a node shares; answers are handled on {@code executor} (never on a
   * network thread: merging and scanning touch the disk).
   */
  record Context(NodeId self, MerkleTrees trees, TrackedEngine engine, ReplicaNetwork network,
      Scheduler scheduler, Clock clock, RateLimiter limiter, Duration timeout,
      Executor executor) {}

  private final Context ctx;
  private final int partition;
  private final int n;
  private final NodeId peer;
  private final MerkleTree tree;
  private final int batch;
  private long compared;
  private long repaired;
  private long bytes;

  private Exchange(Context ctx, int partition, int n, NodeId peer) {
    this.ctx = ctx;
    this.partition = partition;
    this.n = n;
    this.peer = peer;
    this.tree = ctx.trees().tree(partition, n);
    long rate = ctx.limiter().keysPerSecond();
    this.batch = rate == 0 ? MAX_BATCH : (int) Math.max(MIN_BATCH, Math.min(MAX_BATCH, rate / 10));
  }

  static CompletableFuture<Outcome> run(Context ctx, int partition, int n, NodeId peer) {
    return new Exchange(ctx, partition, n, peer).start();
  }

  private CompletableFuture<Outcome> start() {
    return ask(new ReplicaRequest.TreeLevel(partition, n, 0, List.of(0))).thenCompose(r -> {
      long theirs = hashes(r).get(0);
      if (theirs == tree.rootHash()) {
        return CompletableFuture.completedFuture(outcome(true));
      }
      return walk().thenApply(v -> outcome(false));
    });
  }

  private Outcome outcome(boolean inSync) {
    return new Outcome(partition, n, peer, inSync, compared, repaired, bytes);
  }

  private CompletableFuture<Void> walk() {
    List<Integer> inner = range(0, MerkleTree.SEGMENTS / MerkleTree.FANOUT);
    return differing(1, inner).thenCompose(innerDiff -> {
      List<Integer> segments = new ArrayList<>();
      for (int i : innerDiff) {
        segments.addAll(range(i * MerkleTree.FANOUT, MerkleTree.FANOUT));
      }
      return differing(2, segments);
    }).thenCompose(this::entriesOf).thenCompose(this::repair);
  }

  /** The indexes at a level whose hashes differ between the two trees. */
  private CompletableFuture<List<Integer>> differing(int level, List<Integer> indexes) {
    if (indexes.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    return ask(new ReplicaRequest.TreeLevel(partition, n, level, indexes)).thenApply(r -> {
      List<Long> theirs = hashes(r);
      long[] ours = tree.hashes(level, indexes.stream().mapToInt(Integer::intValue).toArray());
      List<Integer> out = new ArrayList<>();
      for (int i = 0; i < indexes.size(); i++) {
        if (ours[i] != theirs.get(i)) {
          out.add(indexes.get(i));
        }
      }
      return out;
    });
  }

  /** The tokens whose leaves differ in these segments, asked a few hundred segments at a time. */
  private CompletableFuture<Set<Long>> entriesOf(List<Integer> segments) {
    Set<Long> differing = new HashSet<>();
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (int from = 0; from < segments.size(); from += SEGMENTS_PER_REQUEST) {
      List<Integer> slice = segments.subList(from, Math.min(segments.size(),
          from + SEGMENTS_PER_REQUEST));
      chain = chain.thenCompose(v -> ask(new ReplicaRequest.SegmentEntries(partition, n, slice))
          .thenAccept(r -> compareEntries(slice, r, differing)));
    }
    return chain.thenApply(v -> differing);
  }

  private void compareEntries(List<Integer> segments, ReplicaResponse r, Set<Long> differing) {
    if (!(r instanceof ReplicaResponse.TreeEntries e)) {
      throw unexpected(r);
    }
    Map<Long, Long> theirs = new HashMap<>();
    for (int i = 0; i < e.tokens().size(); i++) {
      theirs.put(e.tokens().get(i), e.leaves().get(i));
    }
    for (int segment : segments) {
      long[][] ours = tree.entries(segment);
      for (int i = 0; i < ours[0].length; i++) {
        Long their = theirs.remove(ours[0][i]);
        if (their == null || their != ours[1][i]) {
          differing.add(ours[0][i]);
        }
      }
    }
    differing.addAll(theirs.keySet()); // tokens only the peer holds
  }

  /** Fetches, merges and stores the differing tokens' keys, batch by batch, paced. */
  private CompletableFuture<Void> repair(Set<Long> tokens) {
    if (tokens.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Map<Long, List<Key>> local = localKeys(tokens);
    Deque<Long> queue = new ArrayDeque<>(tokens);
    return nextBatch(queue, local);
  }

  private CompletableFuture<Void> nextBatch(Deque<Long> queue, Map<Long, List<Key>> local) {
    if (queue.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    List<Long> slice = new ArrayList<>();
    while (!queue.isEmpty() && slice.size() < batch) {
      slice.add(queue.poll());
    }
    long wait = ctx.limiter().reserve(slice.size(), 0, ctx.clock().millis());
    return after(wait)
        .thenCompose(v -> ask(new ReplicaRequest.FetchTokens(partition, n, slice)))
        .thenCompose(r -> {
          if (!(r instanceof ReplicaResponse.KeysFetched f)) {
            throw unexpected(r);
          }
          for (int i = f.unsent().size() - 1; i >= 0; i--) {
            queue.addFirst(f.unsent().get(i));
          }
          Set<Long> done = new HashSet<>(slice);
          f.unsent().forEach(done::remove);
          return reconcile(done, f.found(), local);
        })
        .thenCompose(moved -> after(ctx.limiter().reserve(0, moved, ctx.clock().millis())))
        .thenCompose(v -> nextBatch(queue, local));
  }

  /** Merges both sides' versions of the tokens' keys; returns the value bytes moved. */
  private CompletableFuture<Long> reconcile(Set<Long> done, Map<Key, Siblings> theirs,
      Map<Long, List<Key>> local) {
    Set<Key> keys = new HashSet<>(theirs.keySet());
    for (long token : done) {
      keys.addAll(local.getOrDefault(token, List.of()));
    }
    Map<Key, Siblings> push = new LinkedHashMap<>();
    long moved = 0;
    long pushedBytes = 0;
    int onlyHere = 0;
    for (Key key : keys) {
      compared++;
      Siblings ours = ctx.engine().get(key);
      Siblings their = theirs.getOrDefault(key, Siblings.empty());
      Siblings merged = ours.merge(their);
      boolean stored = false;
      if (!merged.equals(ours)) {
        try {
          ctx.engine().put(key, their);
          moved += valueBytes(their);
          stored = true;
        } catch (RingkvException e) {
          log.warn("anti-entropy could not store {} here: {}", key, e.getMessage());
        }
      }
      if (!merged.equals(their)) {
        push.put(key, merged);
        pushedBytes += valueBytes(merged);
      } else if (stored) {
        onlyHere++;
      }
    }
    // A key counts as repaired once it is stored where it was lacking: here at once, on the
    // peer when it acknowledged (an exchange that fails there repairs it again next round).
    repaired += onlyHere;
    bytes += moved;
    if (push.isEmpty()) {
      return CompletableFuture.completedFuture(moved);
    }
    long total = moved + pushedBytes;
    long sent = pushedBytes;
    int pushed = push.size();
    return ask(new ReplicaRequest.StoreMany(push)).thenApply(r -> {
      if (!(r instanceof ReplicaResponse.Stored)) {
        throw unexpected(r);
      }
      repaired += pushed;
      bytes += sent;
      return total;
    });
  }

  /** This node's keys of (partition, n) with these tokens: one pass over the partition. */
  private Map<Long, List<Key>> localKeys(Set<Long> tokens) {
    Map<Long, List<Key>> out = new HashMap<>();
    ctx.engine().forEachKeyInPartition(partition, key -> {
      if (ctx.trees().replicasOf(key) != n) {
        return;
      }
      long token = Token.of(key).value();
      if (tokens.contains(token)) {
        out.computeIfAbsent(token, t -> new ArrayList<>(1)).add(key);
      }
    });
    return out;
  }

  static long valueBytes(Siblings siblings) {
    long n = 0;
    for (Versioned<Bytes> v : siblings.versions()) {
      n += v.value().length();
    }
    return n;
  }

  private CompletableFuture<Void> after(long millis) {
    if (millis <= 0) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> f = new CompletableFuture<>();
    ctx.scheduler().schedule(Duration.ofMillis(millis),
        () -> ctx.executor().execute(() -> f.complete(null)));
    return f;
  }

  private CompletableFuture<ReplicaResponse> ask(ReplicaRequest request) {
    return ask(ctx, peer, request);
  }

  /**
   * Sends a request and waits at most the timeout; a {@link ReplicaResponse.Failed} answer fails
   * the future with its exception.
   */
  static CompletableFuture<ReplicaResponse> ask(Context ctx, NodeId to, ReplicaRequest request) {
    CompletableFuture<ReplicaResponse> out = new CompletableFuture<>();
    Scheduler.Cancellable timer = ctx.scheduler().schedule(ctx.timeout(), () ->
        out.completeExceptionally(new RingkvException(ErrorCode.UNAVAILABLE, request.kind()
            + " to " + to + " got no answer within " + ctx.timeout().toMillis() + " ms")));
    CompletableFuture<ReplicaResponse> sent;
    try {
      sent = ctx.network().send(to, request);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete((r, e) -> {
      timer.cancel();
      ctx.executor().execute(() -> {
        if (e != null) {
          out.completeExceptionally(Futures.unwrap(e));
        } else if (r instanceof ReplicaResponse.Failed f) {
          out.completeExceptionally(f.toException());
        } else {
          out.complete(r);
        }
      });
    });
    return out;
  }

  private static List<Long> hashes(ReplicaResponse r) {
    if (r instanceof ReplicaResponse.TreeHashes h) {
      return h.hashes();
    }
    throw unexpected(r);
  }

  private static RingkvException unexpected(ReplicaResponse r) {
    return new RingkvException(ErrorCode.INTERNAL, "anti-entropy got an unexpected answer "
        + r.getClass().getSimpleName());
  }

  private static List<Integer> range(int from, int count) {
    List<Integer> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(from + i);
    }
    return out;
  }
}
