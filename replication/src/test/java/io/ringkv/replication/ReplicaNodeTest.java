package io.ringkv.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.ConflictResolver;
import io.ringkv.api.Context;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.InvalidContextException;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.PutResult;
import io.ringkv.api.QuorumNotReachedException;
import io.ringkv.api.QuorumSpec;
import io.ringkv.api.RequestOptions;
import io.ringkv.api.Resolution;
import io.ringkv.api.RingkvException;
import io.ringkv.api.Scheduler;
import io.ringkv.api.Siblings;
import io.ringkv.replication.api.ReplicaNetwork;
import io.ringkv.replication.api.ReplicaRequest;
import io.ringkv.replication.api.ReplicaResponse;
import io.ringkv.ring.Ring;
import io.ringkv.storage.spi.StorageEngine;
import io.ringkv.storage.spi.StorageEngines;
import io.ringkv.storage.spi.Write;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
import org.mockito.Mockito;

/**
 * The coordinator's interactions with its replicas, seen through a mocked network: who is asked,
 * in which order, and what counts toward the quorum. Whole-cluster behaviour is tested in
 * ringkv-testkit over the simulated network.
 */
class ReplicaNodeTest {
  private static final ConflictResolver SIBLINGS = s -> new Resolution.Keep(Siblings.of(s).versions());

  private final List<NodeId> ids = List.of(NodeId.of("a"), NodeId.of("b"), NodeId.of("c"),
      NodeId.of("d"));
  private final Ring ring = Ring.create(8, ids);
  private final List<Runnable> timers = new ArrayList<>();
  private final Scheduler scheduler = (delay, task) -> {
    timers.add(task);
    return () -> timers.remove(task);
  };
  private ReplicaNetwork network;
  private StorageEngine engine;
  private Key key;
  private List<NodeId> replicas;

  @BeforeEach
  void setUp() {
    network = mock(ReplicaNetwork.class);
    // Pick a key this node ("a") coordinates: the first replica.
    for (int i = 0; ; i++) {
      Key k = Key.of("b", "k" + i);
      if (ring.preferenceList(k, 3).primaries().get(0).equals(ids.get(0))) {
        key = k;
        break;
      }
    }
    replicas = ring.preferenceList(key, 3).primaries();
    engine = Mockito.spy(StorageEngines.inMemory(ring::partitionOf));
  }

  private ReplicaNode node(Liveness liveness) {
    return ReplicaNode.builder()
        .actor(new Actor(ids.get(0), 1))
        .engine(engine)
        .ring(() -> ring)
        .liveness(liveness)
        .network(network)
        .scheduler(scheduler)
        .policies(BucketPolicies.of(new BucketPolicy(new QuorumSpec(3, 2, 2), "siblings", SIBLINGS),
            java.util.Map.of()))
        .settings(ReplicationSettings.DEFAULTS.withRequestTimeout(Duration.ofSeconds(1)))
        .build();
  }

  private static CompletableFuture<ReplicaResponse> answer(ReplicaResponse r) {
    return CompletableFuture.completedFuture(r);
  }

  @Test
  void requestsRunOnTheCallersThreadOnlyWhileNothingCanBlock() {
    NodeId down = replicas.get(2);
    ReplicaNode allUp = node(Liveness.ALL_UP);
    ReplicaNode oneDown = node(n -> !n.equals(down));

    assertThat(allUp.readsWithoutBlocking()).isTrue();
    assertThat(allUp.writesWithoutBlocking(key)).isTrue();
    assertThat(oneDown.writesWithoutBlocking(key)).as("a hint may be kept here, and fsync")
        .isFalse();
    assertThat(allUp.handler().handlesWithoutBlocking(new ReplicaRequest.Store(key,
        Siblings.empty()))).isTrue();
    assertThat(allUp.handler().handlesWithoutBlocking(new ReplicaRequest.Fetch(key))).isTrue();
    assertThat(allUp.handler().handlesWithoutBlocking(new ReplicaRequest.FetchHints(key)))
        .isFalse();

    when(engine.nonBlocking()).thenReturn(false); // an engine that syncs in its writes
    ReplicaNode blocking = node(Liveness.ALL_UP);
    assertThat(blocking.readsWithoutBlocking()).isFalse();
    assertThat(blocking.writesWithoutBlocking(key)).isFalse();
    assertThat(blocking.handler().handlesWithoutBlocking(new ReplicaRequest.Store(key,
        Siblings.empty()))).isFalse();
  }

  @Test
  void putWritesLocallyFirstThenSendsTheSetToTheOtherReplicasOnly() {
    when(network.send(any(), any())).thenReturn(answer(new ReplicaResponse.Stored()));
    PutResult put = node(Liveness.ALL_UP).store().put(key, Context.EMPTY, Bytes.utf8("v")).join();

    assertThat(put.context().isEmpty()).isFalse();
    // The receipt is who held the write when the round judged it: here every replica answered
    // at once (the mocked network), so all three, in preference order.
    assertThat(put.receipt()).isEqualTo(replicas.get(0).value() + "=primary,"
        + replicas.get(1).value() + "=primary," + replicas.get(2).value() + "=primary");
    InOrder order = Mockito.inOrder(engine, network);
    order.verify(engine).update(eq(key), any());
    order.verify(network).send(eq(replicas.get(1)), any(ReplicaRequest.Store.class));
    verify(network).send(eq(replicas.get(2)), any(ReplicaRequest.Store.class));
    for (NodeId other : ids) {
      if (!replicas.contains(other)) {
        verify(network, never()).send(eq(other), any());
      }
    }
  }

  @Test
  void aPutIsAnsweredOnlyOnceTheLocalCopyIsDurableAndFailsIfItNeverIs() {
    when(network.send(any(), any())).thenReturn(answer(new ReplicaResponse.Stored()));
    CompletableFuture<Void> fsync = new CompletableFuture<>();
    doAnswer(inv -> new Write(((Write) inv.callRealMethod()).stored(), fsync))
        .when(engine).update(any(), any());

    CompletableFuture<PutResult> put = node(Liveness.ALL_UP).store().put(key, Context.EMPTY,
        Bytes.utf8("v"));
    assertThat(put).as("both replicas acknowledged, the local fsync is pending").isNotDone();
    fsync.complete(null);
    assertThat(put).isCompletedWithValueMatching(r -> !r.context().isEmpty());

    CompletableFuture<Void> failing = new CompletableFuture<>();
    doAnswer(inv -> new Write(((Write) inv.callRealMethod()).stored(), failing))
        .when(engine).update(any(), any());
    CompletableFuture<PutResult> second = node(Liveness.ALL_UP).store().put(key, Context.EMPTY,
        Bytes.utf8("w"));
    failing.completeExceptionally(new IllegalStateException("the log's fsync failed"));
    assertThat(second).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(
        java.util.concurrent.ExecutionException.class).withMessageContaining("fsync failed");
  }

  @Test
  void putSucceedsOnceWMinusOneReplicasAcknowledge() {
    CompletableFuture<ReplicaResponse> slow = new CompletableFuture<>();
    when(network.send(eq(replicas.get(1)), any())).thenReturn(answer(new ReplicaResponse.Stored()));
    when(network.send(eq(replicas.get(2)), any())).thenReturn(slow);

    CompletableFuture<PutResult> f = node(Liveness.ALL_UP).store().put(key, Context.EMPTY, Bytes.utf8("v"));
    assertThat(f).isCompleted();
  }

  @Test
  void putBelowWFailsWithKOfW() {
    when(network.send(any(), any())).thenReturn(CompletableFuture.failedFuture(
        new RingkvException(ErrorCode.UNAVAILABLE, "connection refused")));

    CompletableFuture<PutResult> f = node(Liveness.ALL_UP).store().put(key, Context.EMPTY, Bytes.utf8("v"));
    assertThatThrownBy(f::join).isInstanceOf(CompletionException.class)
        .cause().isInstanceOf(QuorumNotReachedException.class)
        .hasMessageContaining("1 of W=2")
        .hasMessageContaining("may still be stored");
    assertThat(engine.get(key).size()).as("the local copy survives").isEqualTo(1);
  }

  @Test
  void putTimesOutWhenReplicasNeverAnswer() {
    when(network.send(any(), any())).thenReturn(new CompletableFuture<>());
    CompletableFuture<PutResult> f = node(Liveness.ALL_UP).store().put(key, Context.EMPTY, Bytes.utf8("v"));
    assertThat(f).isNotDone();
    List.copyOf(timers).forEach(Runnable::run);
    assertThatThrownBy(f::join).cause().isInstanceOf(QuorumNotReachedException.class);
  }

  @Test
  void downReplicasAreNotAsked() {
    when(network.send(any(), any())).thenReturn(answer(new ReplicaResponse.Stored()));
    NodeId down = replicas.get(2);
    node(n -> !n.equals(down)).store().put(key, Context.EMPTY, Bytes.utf8("v")).join();
    verify(network, never()).send(eq(down), any());
  }

  @Test
  void getAsksEveryReplicaAndAnswersAfterR() {
    when(network.send(any(), any())).thenReturn(answer(new ReplicaResponse.Fetched(Siblings.empty())));
    var result = node(Liveness.ALL_UP).store().get(key).join();
    assertThat(result.isFound()).isFalse();
    verify(network).send(eq(replicas.get(1)), any(ReplicaRequest.Fetch.class));
    verify(network).send(eq(replicas.get(2)), any(ReplicaRequest.Fetch.class));
  }

  @Test
  void aReadRepairThisNodeCannotStoreStillRepairsTheOthers() {
    Siblings newer = Siblings.of(new io.ringkv.api.Versioned<>(Bytes.utf8("v"),
        new io.ringkv.api.Dot(new Actor(ids.get(1), 1), 1), io.ringkv.api.VectorClock.empty(), 1, false));
    when(network.send(eq(replicas.get(1)), any(ReplicaRequest.Fetch.class)))
        .thenReturn(answer(new ReplicaResponse.Fetched(newer)));
    when(network.send(eq(replicas.get(2)), any(ReplicaRequest.Fetch.class)))
        .thenReturn(answer(new ReplicaResponse.Fetched(Siblings.empty())));
    when(network.send(eq(replicas.get(2)), any(ReplicaRequest.Store.class)))
        .thenReturn(answer(new ReplicaResponse.Stored()));
    // This node (stale, like the third replica) cannot take the set, say it is over its engine's limit.
    Mockito.doThrow(new RingkvException(ErrorCode.TOO_LARGE, "too large here")).when(engine).put(eq(key), any());

    var result = node(Liveness.ALL_UP).store().get(key).join();

    assertThat(result.isFound()).isTrue();
    verify(network).send(eq(replicas.get(2)), eq(new ReplicaRequest.Store(key, newer)));
  }

  @Test
  void aNodeThatIsNotTheCoordinatorForwards() {
    Key other = null;
    for (int i = 0; other == null; i++) {
      Key k = Key.of("b", "x" + i);
      if (!ring.preferenceList(k, 3).primaries().contains(ids.get(0))) {
        other = k;
      }
    }
    NodeId coordinator = ring.preferenceList(other, 3).primaries().get(0);
    when(network.send(eq(coordinator), any(ReplicaRequest.CoordinatePut.class)))
        .thenReturn(answer(new ReplicaResponse.PutDone(PutResult.of(Context.EMPTY))));
    node(Liveness.ALL_UP).store().put(other, Context.EMPTY, Bytes.utf8("v")).join();
    verify(network, times(1)).send(eq(coordinator), any(ReplicaRequest.CoordinatePut.class));
    verify(engine, never()).put(any(), any());
    verify(engine, never()).write(any(), any());
    verify(engine, never()).update(any(), any());
  }

  @Test
  void aForwardToAnUnreachableCoordinatorFallsThroughToTheNextReplica() {
    Key other = null;
    for (int i = 0; other == null; i++) {
      Key k = Key.of("b", "y" + i);
      List<NodeId> p = ring.preferenceList(k, 3).primaries();
      if (!p.contains(ids.get(0))) {
        other = k;
      }
    }
    List<NodeId> p = ring.preferenceList(other, 3).primaries();
    when(network.send(eq(p.get(0)), any())).thenReturn(CompletableFuture.failedFuture(
        new RingkvException(ErrorCode.UNAVAILABLE, "refused")));
    when(network.send(eq(p.get(1)), any())).thenReturn(answer(new ReplicaResponse.PutDone(PutResult.of(Context.EMPTY))));
    node(Liveness.ALL_UP).store().put(other, Context.EMPTY, Bytes.utf8("v")).join();
    InOrder order = Mockito.inOrder(network);
    order.verify(network).send(eq(p.get(0)), any(ReplicaRequest.CoordinatePut.class));
    order.verify(network).send(eq(p.get(1)), any(ReplicaRequest.CoordinatePut.class));
  }

  @Test
  void garbageContextIsRefusedBeforeAnythingIsSent() {
    CompletableFuture<PutResult> f = node(Liveness.ALL_UP).store()
        .put(key, new Context(Bytes.utf8("garbage!")), Bytes.utf8("v"));
    assertThatThrownBy(f::join).cause().isInstanceOf(InvalidContextException.class);
    verify(network, never()).send(any(), any());
  }

  @Test
  void brokenQuorumOverrideIsRefusedNamingTheRule() {
    CompletableFuture<PutResult> f = node(Liveness.ALL_UP).store()
        .put(key, Context.EMPTY, Bytes.utf8("v"), RequestOptions.DEFAULT.withW(1).withR(1));
    assertThatThrownBy(f::join).cause().hasMessageContaining("r + w > n");
    verify(network, never()).send(any(), any());
  }

  /**
   * A primary past the replica timeout is stood in for, but its acknowledgement may still come
   * until the request's own timeout: with no fall-back left, the write waits for it, not fails.
   */
  @Test
  void aLateAcknowledgementAfterTheReplicaTimeoutStillCounts() {
    NodeId slow = replicas.get(1);
    NodeId down = replicas.get(2);
    CompletableFuture<ReplicaResponse> late = new CompletableFuture<>();
    when(network.send(eq(slow), any(ReplicaRequest.Store.class))).thenReturn(late);
    NodeId other = ids.stream().filter(n -> !replicas.contains(n)).findFirst().orElseThrow();
    CompletableFuture<PutResult> f = node(n -> !n.equals(down) && !n.equals(other)).store()
        .put(key, Context.EMPTY, Bytes.utf8("v"));
    // The replica timeout fires first: no fall-back is up, so the hints stay here.
    timers.get(timers.size() - 1).run();
    assertThat(f).as("still waiting for the slow primary").isNotDone();
    late.complete(new ReplicaResponse.Stored());
    assertThat(f).isCompleted();
    assertThat(f.join().replicas()).contains(io.ringkv.api.ReplicaReceipt.primary(slow));
  }
}
