package io.ringkv.testkit.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.GetResult;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.PutResult;
import io.ringkv.api.QuorumNotReachedException;
import io.ringkv.api.ReplicaReceipt;
import io.ringkv.api.RequestOptions;
import io.ringkv.api.RingkvException;
import io.ringkv.api.Siblings;
import io.ringkv.replication.HandoffSettings;
import io.ringkv.replication.ReplicationListener;
import io.ringkv.replication.api.ReplicaRequest;
import io.ringkv.replication.api.ReplicaResponse;
import io.ringkv.testkit.sim.SimCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Sloppy quorum and hinted handoff on whole clusters over the in-process network: fall-backs stand
 * in for down primaries and count once, write receipts say who took a write, pr / pw count only
 * primaries, a cluster with no node beyond the top N keeps hints on the coordinator, and hints
 * reach their owners once they are back, in order, rate limited, within their bounds, without
 * any read.
 */
class SloppyQuorumTest {
  private static final Duration HANDOFF_TIME = Duration.ofSeconds(10);

  private final List<String> dropped = Collections.synchronizedList(new ArrayList<>());
  private final ReplicationListener drops = new ReplicationListener() {
    @Override
    public void hintDropped(NodeId target, Key key, Siblings versions, String reason) {
      dropped.add(target + ":" + key.key() + ":" + reason);
    }
  };

  private SimCluster cluster(int nodes) {
    return SimCluster.builder().nodes(nodes).seed(11).strictBucket("strict").listener(drops)
        .requestTimeout(Duration.ofMillis(500)).build();
  }

  @Test
  void aFallbackTakesADownPrimarysCopyCountsOnceAndHandsItOffWithoutARead() {
    SimCluster c = cluster(5);
    Key key = Key.of("b", "sloppy");
    List<NodeId> primaries = c.replicas(key, 3);
    NodeId down = primaries.get(2);
    c.crash(down);

    PutResult put = c.join(c.node(primaries.get(0)).store().put(key, Context.EMPTY,
        Bytes.utf8("v")));
    c.runUntilIdle();

    NodeId fallback = c.ring().preferenceList(key, 3).fallbacks().get(0);
    assertThat(put.replicas()).contains(ReplicaReceipt.primary(primaries.get(0)));
    assertThat(c.hints(key)).containsOnlyKeys(fallback);
    assertThat(c.hints(key).get(fallback)).containsOnlyKeys(down);
    assertThat(c.holdings(key).get(fallback).isEmpty()).as("a fall-back never stores in its "
        + "engine").isTrue();

    c.restart(down, false);
    c.advance(HANDOFF_TIME);

    assertThat(c.holdings(key).get(down)).as("handed off without any read")
        .isEqualTo(c.holdings(key).get(primaries.get(0)));
    assertThat(c.hintsHeld()).isZero();
    assertThat(c.node(fallback).handoffCounts().handedOff()).isEqualTo(1);
  }

  @Test
  void withTwoPrimariesDownTheReceiptNamesTheFallbackAndWIsMetByIt() {
    SimCluster c = cluster(5);
    Key key = Key.of("b", "two-down");
    List<NodeId> primaries = c.replicas(key, 3);
    c.crash(primaries.get(1));
    c.crash(primaries.get(2));
    List<NodeId> fallbacks = c.ring().preferenceList(key, 3).fallbacks();

    PutResult put = c.join(c.node(primaries.get(0)).store().put(key, Context.EMPTY,
        Bytes.utf8("v")));

    assertThat(put.primaries()).isEqualTo(1);
    assertThat(put.replicas()).hasSize(2);
    assertThat(put.replicas().get(0)).isEqualTo(ReplicaReceipt.primary(primaries.get(0)));
    assertThat(put.replicas().get(1).role()).isEqualTo(ReplicaReceipt.Role.FALLBACK);
    assertThat(put.replicas().get(1).node()).isIn(fallbacks);
    assertThat(put.replicas().get(1).intendedFor()).isIn(primaries.subList(1, 3));
    assertThat(put.receipt()).startsWith(primaries.get(0).value() + "=primary,")
        .contains("=fallback(");

    // A sloppy read finds the value through the fall-back that holds the hint.
    GetResult read = c.join(c.node(primaries.get(0)).store().get(key));
    assertThat(read.value().toUtf8()).isEqualTo("v");

    c.restart(primaries.get(1), false);
    c.restart(primaries.get(2), false);
    c.advance(HANDOFF_TIME);
    for (NodeId p : primaries) {
      assertThat(c.holdings(key).get(p).live()).as("on %s", p).hasSize(1);
    }
    assertThat(c.hintsHeld()).isZero();
  }

  @Test
  void pwAndPrCountOnlyPrimaries() {
    SimCluster c = cluster(5);
    Key key = Key.of("b", "pw");
    List<NodeId> primaries = c.replicas(key, 3);
    c.crash(primaries.get(2));
    var store = c.node(primaries.get(0)).store();

    PutResult ok = c.join(store.put(key, Context.EMPTY, Bytes.utf8("v"),
        RequestOptions.DEFAULT.withPw(2)));
    assertThat(ok.primaries()).isEqualTo(2);
    CompletableFuture<PutResult> refused = c.await(store.put(key, Context.EMPTY, Bytes.utf8("w"),
        RequestOptions.DEFAULT.withPw(3)));
    assertThatThrownBy(refused::join).cause().isInstanceOf(QuorumNotReachedException.class)
        .hasMessageContaining("of PW=3 primaries acknowledged");

    c.crash(primaries.get(1));
    assertThat(c.join(store.get(key)).isFound()).as("r=2 met with a fall-back").isTrue();
    CompletableFuture<GetResult> pr = c.await(store.get(key, RequestOptions.DEFAULT.withPr(2)));
    assertThatThrownBy(pr::join).cause().isInstanceOf(QuorumNotReachedException.class)
        .hasMessageContaining("1 of PR=2 primaries answered");
  }

  @Test
  void prOrPwAboveNIsRefusedNamingTheRule() {
    SimCluster c = cluster(5);
    CompletableFuture<PutResult> f = c.await(c.store(1).put(Key.of("b", "k"), Context.EMPTY,
        Bytes.utf8("v"), RequestOptions.DEFAULT.withPw(4)));
    assertThatThrownBy(f::join).cause().isInstanceOf(RingkvException.class)
        .hasMessageContaining("pw=4").hasMessageContaining("0 <= pr, pw <= n");
  }

  @Test
  void aStrictBucketUsesNoFallbackButStillKeepsAHintForTheDownPrimary() {
    SimCluster c = cluster(5);
    Key key = Key.of("strict", "k");
    List<NodeId> primaries = c.replicas(key, 3);
    NodeId down = primaries.get(2);
    c.crash(down);
    PutResult put = c.join(c.node(primaries.get(0)).store().put(key, Context.EMPTY,
        Bytes.utf8("v")));
    assertThat(put.replicas()).extracting(ReplicaReceipt::role)
        .doesNotContain(ReplicaReceipt.Role.FALLBACK);
    c.runUntilIdle();
    assertThat(c.hints(key)).containsOnlyKeys(primaries.get(0));
    c.restart(down, false);
    c.advance(HANDOFF_TIME);
    assertThat(c.holdings(key).get(down).live()).hasSize(1);
  }

  @Test
  void withNoNodeBeyondTheTopNTheCoordinatorKeepsTheHintAndHandsItOff() {
    SimCluster c = cluster(3);
    Key key = Key.of("b", "three");
    List<NodeId> primaries = c.replicas(key, 3);
    NodeId down = primaries.get(2);
    c.crash(down);

    PutResult put = c.join(c.node(primaries.get(0)).store().put(key, Context.EMPTY,
        Bytes.utf8("v")));
    assertThat(put.receipt()).isEqualTo(primaries.get(0).value() + "=primary,"
        + primaries.get(1).value() + "=primary," + primaries.get(0).value() + "=hint("
        + down.value() + ")");
    assertThat(c.hints(key)).containsOnlyKeys(primaries.get(0));

    c.restart(down, false);
    c.advance(HANDOFF_TIME);
    assertThat(c.holdings(key).get(down)).isEqualTo(c.holdings(key).get(primaries.get(0)));
    assertThat(c.hintsHeld()).isZero();
  }

  @Test
  void hintsAreHandedOffInOrderAndAtMostAtTheConfiguredRate() {
    List<Key> arrived = Collections.synchronizedList(new ArrayList<>());
    SimCluster c = SimCluster.builder().nodes(3).seed(3).requestTimeout(Duration.ofMillis(500))
        .handoff(HandoffSettings.DEFAULTS.withRate(5, 0))
        .listener(new ReplicationListener() {
          @Override
          public void hintHandedOff(NodeId target, Key key) {
            arrived.add(key);
          }
        }).build();
    NodeId holder = NodeId.of("n1");
    NodeId down = NodeId.of("n3");
    c.crash(down);
    List<Key> keys = new ArrayList<>();
    for (int i = 0; keys.size() < 30; i++) {
      Key k = Key.of("b", "rate" + i);
      if (c.replicas(k, 3).get(0).equals(holder)) {
        keys.add(k);
        c.join(c.node(holder).store().put(k, Context.EMPTY, Bytes.utf8("v" + i)));
      }
    }
    c.runUntilIdle();
    assertThat(c.node(holder).hintBacklogs().get(down).hints()).isEqualTo(30);
    c.restart(down, false);

    c.advance(Duration.ofMillis(1_500));
    // A full bucket of 5, then 5 per second: at most 5 + 1.5 * 5 within 1.5 s.
    assertThat(arrived).hasSizeBetween(1, 12);
    c.advance(Duration.ofSeconds(10));
    assertThat(arrived).as("every hint, in the order it was kept").containsExactlyElementsOf(keys);
    assertThat(keys).allSatisfy(k -> assertThat(c.holdings(k).get(down).isEmpty()).isFalse());
    assertThat(c.hintsHeld()).isZero();
  }

  @Test
  void hintsOlderThanTheMaximumAgeAreDroppedNotReplayed() {
    SimCluster c = SimCluster.builder().nodes(3).seed(5).listener(drops)
        .handoff(HandoffSettings.DEFAULTS.withMaxHintAge(Duration.ofSeconds(5))).build();
    Key key = Key.of("b", "old");
    List<NodeId> primaries = c.replicas(key, 3);
    NodeId down = primaries.get(2);
    c.crash(down);
    c.join(c.node(primaries.get(0)).store().put(key, Context.EMPTY, Bytes.utf8("v")));
    c.advance(Duration.ofSeconds(7));
    assertThat(c.hintsHeld()).isZero();
    assertThat(dropped).singleElement().asString().startsWith(down + ":old:older than");
    c.restart(down, false);
    c.advance(HANDOFF_TIME);
    assertThat(c.holdings(key).get(down).isEmpty()).as("a dropped hint is never replayed")
        .isTrue();
  }

  @Test
  void pastTheByteBoundTheOldestHintsOfATargetAreDropped() {
    SimCluster c = SimCluster.builder().nodes(3).seed(5).listener(drops)
        .handoff(HandoffSettings.DEFAULTS.withMaxHintBytes(2_000)).build();
    NodeId down = NodeId.of("n2");
    c.crash(down);
    int written = 0;
    for (int i = 0; written < 20; i++) {
      Key k = Key.of("b", "big" + i);
      List<NodeId> p = c.replicas(k, 3);
      if (p.get(0).equals(NodeId.of("n1"))) {
        c.join(c.node(p.get(0)).store().put(k, Context.EMPTY, Bytes.utf8("x".repeat(400))));
        written++;
      }
    }
    assertThat(c.node(NodeId.of("n1")).hintBacklogs().get(down).bytes()).isLessThanOrEqualTo(2_000);
    assertThat(dropped).isNotEmpty().allSatisfy(d -> assertThat(d).startsWith(down + ":big")
        .contains("over 2000 bytes"));
  }

  @Test
  void aHintReplayedTwiceIsHarmless() {
    SimCluster c = cluster(3);
    Key key = Key.of("b", "twice");
    List<NodeId> primaries = c.replicas(key, 3);
    NodeId down = primaries.get(2);
    c.crash(down);
    c.join(c.node(primaries.get(0)).store().put(key, Context.EMPTY, Bytes.utf8("v")));
    Siblings hinted = c.hints(key).get(primaries.get(0)).get(down);
    c.restart(down, false);
    c.advance(HANDOFF_TIME);
    Siblings once = c.holdings(key).get(down);
    // The same hint again, as a holder that crashed before it released it would send it.
    c.join(c.network().endpoint(primaries.get(0)).send(down,
        new ReplicaRequest.Store(key, hinted)));
    assertThat(c.holdings(key).get(down)).isEqualTo(once);
  }

  @Test
  void aHintHolderThatCrashesKeepsItsHintsAndHandsThemOffAfterItsRestart() {
    SimCluster c = cluster(5);
    Key key = Key.of("b", "holder-crash");
    List<NodeId> primaries = c.replicas(key, 3);
    NodeId down = primaries.get(2);
    c.crash(down);
    c.join(c.node(primaries.get(0)).store().put(key, Context.EMPTY, Bytes.utf8("v")));
    c.runUntilIdle();
    NodeId holder = c.hints(key).keySet().iterator().next();
    c.crash(holder);
    c.restart(down, false);
    c.advance(HANDOFF_TIME);
    assertThat(c.holdings(key).get(down).isEmpty()).as("its holder is down").isTrue();
    c.restart(holder, false);
    c.advance(HANDOFF_TIME);
    assertThat(c.holdings(key).get(down).live()).hasSize(1);
    assertThat(c.hintsHeld()).isZero();
  }

  @Test
  void theHintsOfAKeyCanBeAskedForFromAnyNode() {
    SimCluster c = cluster(5);
    Key key = Key.of("b", "ask");
    List<NodeId> primaries = c.replicas(key, 3);
    c.crash(primaries.get(2));
    c.join(c.node(primaries.get(0)).store().put(key, Context.EMPTY, Bytes.utf8("v")));
    c.runUntilIdle();
    NodeId holder = c.hints(key).keySet().iterator().next();
    ReplicaResponse answer = c.join(c.network().endpoint(primaries.get(0)).send(holder,
        new ReplicaRequest.FetchHints(key)));
    assertThat(answer).isInstanceOf(ReplicaResponse.HintsFetched.class);
    Map<NodeId, Siblings> hints = ((ReplicaResponse.HintsFetched) answer).hints();
    assertThat(hints).containsOnlyKeys(primaries.get(2));
    assertThat(c.node(holder).hintBacklogs().get(primaries.get(2)).hints()).isEqualTo(1);
  }

  @Test
  void aPrimaryThatDoesNotAcknowledgeInTheReplicaTimeoutIsStoodInFor() {
    SimCluster c = cluster(5);
    Key key = Key.of("b", "slow");
    List<NodeId> primaries = c.replicas(key, 3);
    NodeId silent = primaries.get(2);
    // The failure detector still believes it up; its messages are simply lost.
    java.util.Set<NodeId> rest = new java.util.HashSet<>(c.ids());
    rest.remove(silent);
    c.network().partition(rest);

    PutResult put = c.join(c.node(primaries.get(0)).store().put(key, Context.EMPTY,
        Bytes.utf8("v")));

    assertThat(put.replicas()).contains(ReplicaReceipt.primary(primaries.get(0)),
        ReplicaReceipt.primary(primaries.get(1)));
    c.runUntilIdle();
    NodeId fallback = c.ring().preferenceList(key, 3).fallbacks().get(0);
    assertThat(c.hints(key)).containsOnlyKeys(fallback);
    assertThat(c.hints(key).get(fallback)).containsOnlyKeys(silent);
    c.network().heal();
    c.advance(HANDOFF_TIME);
    assertThat(c.holdings(key).get(silent).live()).hasSize(1);
    assertThat(c.hintsHeld()).isZero();
  }

  @Test
  void aReadAsksAFallbackForAPrimaryThatDoesNotAnswerInTheReplicaTimeout() {
    SimCluster c = cluster(5);
    Key key = Key.of("b", "slow-read");
    List<NodeId> primaries = c.replicas(key, 3);
    NodeId silent = primaries.get(1);
    java.util.Set<NodeId> rest = new java.util.HashSet<>(c.ids());
    rest.remove(silent);
    c.network().partition(rest);
    c.join(c.node(primaries.get(0)).store().put(key, Context.EMPTY, Bytes.utf8("v")));
    c.runUntilIdle();

    // R=3 with one primary silent (but believed up): met with the fall-back holding its hint.
    GetResult read = c.join(c.node(primaries.get(0)).store().get(key,
        RequestOptions.DEFAULT.withR(3)));
    assertThat(read.value().toUtf8()).isEqualTo("v");
    CompletableFuture<GetResult> strictly = c.await(c.node(primaries.get(0)).store().get(key,
        RequestOptions.DEFAULT.withR(3).withPr(3)));
    assertThatThrownBy(strictly::join).cause().hasMessageContaining("2 of PR=3");
  }

  @Test
  void aHintLargerThanTheBoundIsRefusedNotKeptAndNotCounted() {
    SimCluster c = SimCluster.builder().nodes(5).seed(9).listener(drops)
        .handoff(HandoffSettings.DEFAULTS.withMaxHintBytes(2_000)).build();
    Key key = Key.of("b", "huge");
    List<NodeId> primaries = c.replicas(key, 3);
    c.crash(primaries.get(2));
    PutResult put = c.join(c.node(primaries.get(0)).store().put(key, Context.EMPTY,
        Bytes.utf8("x".repeat(5_000))));
    c.runUntilIdle();
    assertThat(put.replicas()).extracting(ReplicaReceipt::role)
        .as("no fall-back took a hint it could not keep").containsOnly(ReplicaReceipt.Role.PRIMARY);
    assertThat(c.hintsHeld()).isZero();
    assertThat(dropped).as("refused, not kept-then-dropped").isEmpty();
  }
}
