package io.ringkv.ring;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.NodeId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Measures the best-effort goal: the owners of any 3 consecutive partitions (N = 3) are
 * distinct, so a preference list's primaries are simply the next 3 partitions' owners. A window
 * with a repeated owner is "crowded". With S = 3 and Q a power of two it is impossible (the
 * layout would need a period of 3); with S >= 4 it is possible but a join or leave may only move
 * the partitions it must, so a long history can leave a few crowded windows behind.
 */
class SpreadTest {

  @Test
  void createdRingsHaveNoCrowdedWindowsFromFourNodes() {
    for (int q : new int[] {8, 16, 32, 64, 128, 256, 1024}) {
      for (int s = 4; s <= Math.min(q, 64); s++) {
        Ring ring = Ring.create(q, Rings.nodes(s));
        assertThat(Rings.crowdedWindows(ring)).as("Q=%d S=%d", q, s).isZero();
      }
    }
  }

  @Test
  void growingFrom4To64ByJoinsKeepsEveryWindowDistinct() {
    for (int q : new int[] {64, 256}) {
      Ring ring = Ring.create(q, Rings.nodes(4));
      for (int s = 5; s <= 64; s++) {
        ring = ring.withNode(NodeId.of("joined-" + s));
        assertThat(Rings.crowdedWindows(ring)).as("Q=%d S=%d", q, s).isZero();
      }
    }
  }

  @Test
  void shrinkingFrom64To5ByLeavesKeepsEveryWindowDistinct() {
    Ring ring = Ring.create(64, Rings.nodes(64));
    List<NodeId> order = new ArrayList<>(ring.nodes());
    Collections.shuffle(order, new Random(3));
    for (NodeId leaver : order.subList(0, 59)) {
      ring = ring.withoutNode(leaver);
      assertThat(Rings.crowdedWindows(ring)).as("S=%d", ring.nodes().size()).isZero();
    }
    // 5 -> 4: every moved partition already has all four stayers within two positions, so
    // some crowding cannot be avoided without moving more; it stays a small minority.
    ring = ring.withoutNode(order.get(59));
    assertThat(Rings.crowdedWindows(ring)).isLessThanOrEqualTo(64 / 4);
  }

  @Test
  void randomHistoriesStayMostlyUncrowded() {
    Random random = new Random(99);
    long[] windows = new long[65];
    long[] crowded = new long[65];
    for (int history = 0; history < 120; history++) {
      Ring ring = Ring.create(64, Rings.nodes(1 + random.nextInt(16)));
      for (int op = 0; op < 30; op++) {
        int s = ring.nodes().size();
        if (s == 1 || (s < 40 && random.nextBoolean())) {
          ring = ring.withNode(NodeId.of("h" + history + "-" + op));
        } else {
          List<NodeId> nodes = new ArrayList<>(ring.nodes());
          ring = ring.withoutNode(nodes.get(random.nextInt(nodes.size())));
        }
        windows[ring.nodes().size()] += 64;
        crowded[ring.nodes().size()] += Rings.crowdedWindows(ring);
      }
    }
    // For comparison, a random balanced layout crowds 1 - (S-1)(S-2)/S^2 of its windows:
    // 62% for S = 4, 52% for S = 5, 34% for S = 8.
    assertThat(share(crowded, windows, 4, 4)).isLessThan(0.15);
    assertThat(share(crowded, windows, 5, 5)).isLessThan(0.06);
    assertThat(share(crowded, windows, 6, 64)).isLessThan(0.02);
  }

  @Test
  void uncrowdedRingsMakeEachNodeReplicateThreeTimesWhatItOwns() {
    for (int s = 4; s <= 64; s++) {
      Ring ring = Ring.create(64, Rings.nodes(s));
      for (int p = 0; p < 64; p++) {
        assertThat(ring.preferenceList(p, 3).primaries())
            .containsExactly(ring.owner(p), ring.owner((p + 1) % 64), ring.owner((p + 2) % 64));
      }
      for (NodeId node : ring.nodes()) {
        assertThat(ring.partitionsReplicatedBy(node, 3))
            .hasSize(3 * ring.ownershipCounts().get(node));
      }
    }
  }

  @Test
  void violationCountAgreesWithCrowdedWindows() {
    Ring ring = Ring.create(64, Rings.nodes(3));
    NodeId[] owners = ring.owners().toArray(new NodeId[0]);
    assertThat(Spread.total(owners)).isPositive();
    assertThat(Rings.crowdedWindows(ring)).isPositive();
    NodeId a = NodeId.of("a");
    NodeId b = NodeId.of("b");
    NodeId c = NodeId.of("c");
    NodeId d = NodeId.of("d");
    assertThat(Spread.total(new NodeId[] {a, b, c, d, a, b, c, d})).isZero();
    assertThat(Spread.total(new NodeId[] {a, a, c, d, a, b, c, d})).isEqualTo(1);
    assertThat(Spread.total(new NodeId[] {a, b, a, d, a, b, c, d})).isEqualTo(2);
  }

  private static double share(long[] crowded, long[] windows, int from, int to) {
    long c = 0;
    long w = 0;
    for (int s = from; s <= to; s++) {
      c += crowded[s];
      w += windows[s];
    }
    assertThat(w).as("sample for S in [%d, %d]", from, to).isGreaterThan(1000);
    return (double) c / w;
  }
}
