package io.ringkv.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Dot;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import io.ringkv.api.Scheduler;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import io.ringkv.replication.api.ReplicaNetwork;
import io.ringkv.replication.api.ReplicaRequest;
import io.ringkv.replication.api.ReplicaResponse;
import io.ringkv.storage.spi.Hint;
import io.ringkv.storage.spi.HintBacklog;
import io.ringkv.storage.spi.HintStore;
import io.ringkv.storage.spi.HintStores;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Hint replay on its own: a store that fails once, an owner that refuses for good, the bound. */
class HintedHandoffTest {
  private static final NodeId OWNER = NodeId.of("owner");
  private final List<Runnable> due = new ArrayList<>();
  private final Scheduler queue = (delay, task) -> {
    due.add(task);
    return () -> due.remove(task);
  };

  private void runDue() {
    for (int i = 0; i < 50 && !due.isEmpty(); i++) {
      List.copyOf(due).forEach(t -> {
        due.remove(t);
        t.run();
      });
    }
  }

  private static Siblings versions(int i, int size) {
    return Siblings.of(new Versioned<>(Bytes.utf8("v".repeat(size) + i),
        new Dot(new Actor(NodeId.of("a"), 1), i), VectorClock.empty(), 1, false));
  }

  private HintedHandoff handoff(HintStore store, ReplicaNetwork network, HandoffSettings s) {
    return new HintedHandoff(store, network, n -> true, queue, Runnable::run, Clock.systemUTC(), s,
        Duration.ofSeconds(1), ReplicationListener.NONE);
  }

  @Test
  void aStoreFailureStopsOneRoundOnlyAndTheNextTickReplaysEverything() {
    AtomicInteger failures = new AtomicInteger(1);
    HintStore store = new FailingOnce(HintStores.inMemory(), failures);
    List<Key> delivered = new ArrayList<>();
    ReplicaNetwork network = (to, request) -> {
      delivered.add(((ReplicaRequest.Store) request).key());
      return CompletableFuture.completedFuture(new ReplicaResponse.Stored());
    };
    HintedHandoff h = handoff(store, network, HandoffSettings.DEFAULTS);
    for (int i = 1; i <= 3; i++) {
      h.keep(OWNER, Key.of("b", "k" + i), versions(i, 1));
    }
    h.tick(); // its replay fails reading the store
    runDue();
    assertThat(delivered).isEmpty();
    assertThat(h.backlogs()).containsKey(OWNER);
    h.tick();
    runDue();
    assertThat(delivered).containsExactly(Key.of("b", "k1"), Key.of("b", "k2"), Key.of("b", "k3"));
    assertThat(h.backlogs()).isEmpty();
    assertThat(h.stats().handedOff()).isEqualTo(3);
  }

  @Test
  void aHintTheOwnerRefusesForGoodIsDroppedAndTheRestGoOn() {
    ReplicaNetwork network = (to, request) -> {
      Key key = ((ReplicaRequest.Store) request).key();
      return CompletableFuture.completedFuture(key.key().equals("k2")
          ? ReplicaResponse.Failed.of(new RingkvException(ErrorCode.TOO_LARGE, "too large here"))
          : new ReplicaResponse.Stored());
    };
    HintedHandoff h = handoff(HintStores.inMemory(), network, HandoffSettings.DEFAULTS);
    for (int i = 1; i <= 3; i++) {
      h.keep(OWNER, Key.of("b", "k" + i), versions(i, 1));
    }
    h.tick();
    runDue();
    assertThat(h.backlogs()).isEmpty();
    assertThat(h.stats().handedOff()).isEqualTo(2);
    assertThat(h.stats().dropped()).isEqualTo(1);
  }

  @Test
  void aFailedDeliveryKeepsTheHintForTheNextTick() {
    AtomicInteger calls = new AtomicInteger();
    ReplicaNetwork network = (to, request) -> calls.incrementAndGet() == 1
        ? CompletableFuture.failedFuture(new RingkvException(ErrorCode.UNAVAILABLE, "refused"))
        : CompletableFuture.completedFuture(new ReplicaResponse.Stored());
    HintedHandoff h = handoff(HintStores.inMemory(), network, HandoffSettings.DEFAULTS);
    h.keep(OWNER, Key.of("b", "k"), versions(1, 1));
    h.tick();
    runDue();
    assertThat(h.backlogs().get(OWNER).hints()).isEqualTo(1);
    h.tick();
    runDue();
    assertThat(h.backlogs()).isEmpty();
  }

  @Test
  void aHintOverTheBoundIsRefusedAndNeverDropsItselfOrTheNewest() {
    HintedHandoff h = handoff(HintStores.inMemory(), (to, r) -> new CompletableFuture<>(),
        HandoffSettings.DEFAULTS.withMaxHintBytes(1_200));
    assertThatThrownBy(() -> h.keep(OWNER, Key.of("b", "huge"), versions(1, 5_000)))
        .isInstanceOf(RingkvException.class).hasMessageContaining("handoff.max.hint.bytes");
    Hint last = null;
    for (int i = 1; i <= 5; i++) {
      last = h.keep(OWNER, Key.of("b", "k" + i), versions(i, 400));
    }
    HintBacklog b = h.backlogs().get(OWNER);
    assertThat(b.bytes()).isLessThanOrEqualTo(1_200);
    assertThat(h.pendingFor(Key.of("b", "k5"))).as("the newest is always kept").containsKey(OWNER);
    assertThat(last).isNotNull();
    assertThat(h.stats().dropped()).isPositive();
  }

  /** A hint store whose {@code oldest} fails as many times as the counter says. */
  private static final class FailingOnce implements HintStore {
    private final HintStore delegate;
    private final AtomicInteger failures;

    FailingOnce(HintStore delegate, AtomicInteger failures) {
      this.delegate = delegate;
      this.failures = failures;
    }

    @Override
    public Hint append(NodeId target, Key key, Siblings versions, long createdMillis) {
      return delegate.append(target, key, versions, createdMillis);
    }

    @Override
    public Set<NodeId> targets() {
      return delegate.targets();
    }

    @Override
    public List<Hint> oldest(NodeId target, int max) {
      if (failures.getAndDecrement() > 0) {
        throw new java.io.UncheckedIOException(new java.io.IOException("disk hiccup"));
      }
      return delegate.oldest(target, max);
    }

    @Override
    public void release(NodeId target, long upTo) {
      delegate.release(target, upTo);
    }

    @Override
    public Map<NodeId, Siblings> pendingFor(Key key) {
      return delegate.pendingFor(key);
    }

    @Override
    public HintBacklog backlog(NodeId target) {
      return delegate.backlog(target);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
