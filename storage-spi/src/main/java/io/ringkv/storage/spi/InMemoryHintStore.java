package io.ringkv.storage.spi;

import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link HintStores#inMemory()}: queues in memory, guarded by one lock. Nothing survives
 * {@link #close()}; sizes are {@link Hint#estimateBytes estimates}.
 */
final class InMemoryHintStore implements HintStore {
  private final Map<NodeId, Queue> queues = new HashMap<>();
  private boolean closed;

  /** One target's hints by sequence, with running totals and an index by key. */
  private static final class Queue {
    final NavigableMap<Long, Hint> hints = new TreeMap<>();
    final Map<Key, Set<Long>> byKey = new HashMap<>();
    long nextSequence = 1;
    long bytes;
  }

  @Override
  public synchronized Hint append(NodeId target, Key key, Siblings versions, long createdMillis) {
    open();
    Objects.requireNonNull(target, "target");
    Queue q = queues.computeIfAbsent(target, t -> new Queue());
    Hint hint = new Hint(target, q.nextSequence++, key, versions, createdMillis,
        Hint.estimateBytes(key, versions));
    q.hints.put(hint.sequence(), hint);
    q.byKey.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(hint.sequence());
    q.bytes += hint.bytes();
    return hint;
  }

  @Override
  public synchronized Set<NodeId> targets() {
    open();
    Set<NodeId> out = new LinkedHashSet<>();
    queues.forEach((target, q) -> {
      if (!q.hints.isEmpty()) {
        out.add(target);
      }
    });
    return out;
  }

  @Override
  public synchronized List<Hint> oldest(NodeId target, int max) {
    open();
    Queue q = queues.get(target);
    List<Hint> out = new ArrayList<>();
    if (q != null) {
      for (Hint h : q.hints.values()) {
        if (out.size() >= max) {
          break;
        }
        out.add(h);
      }
    }
    return out;
  }

  @Override
  public synchronized void release(NodeId target, long upTo) {
    open();
    Queue q = queues.get(target);
    if (q == null) {
      return;
    }
    NavigableMap<Long, Hint> done = q.hints.headMap(upTo, true);
    for (Hint h : done.values()) {
      q.bytes -= h.bytes();
      Set<Long> seqs = q.byKey.get(h.key());
      seqs.remove(h.sequence());
      if (seqs.isEmpty()) {
        q.byKey.remove(h.key());
      }
    }
    done.clear();
  }

  @Override
  public synchronized Map<NodeId, Siblings> pendingFor(Key key) {
    open();
    Map<NodeId, Siblings> out = new HashMap<>();
    queues.forEach((target, q) -> {
      Set<Long> seqs = q.byKey.get(key);
      if (seqs != null) {
        Siblings merged = Siblings.empty();
        for (long s : seqs) {
          merged = merged.merge(q.hints.get(s).versions());
        }
        out.put(target, merged);
      }
    });
    return out;
  }

  @Override
  public synchronized HintBacklog backlog(NodeId target) {
    open();
    Queue q = queues.get(target);
    if (q == null || q.hints.isEmpty()) {
      return HintBacklog.EMPTY;
    }
    return new HintBacklog(q.hints.size(), q.bytes, q.hints.firstEntry().getValue().createdMillis());
  }

  @Override
  public synchronized void close() {
    closed = true;
    queues.clear();
  }

  private void open() {
    if (closed) {
      throw new IllegalStateException("the in-memory hint store is closed");
    }
  }
}
