package io.ringkv.ring;

import static io.ringkv.ring.RingCreateTest.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PreferenceListTest {

  @Test
  void primariesThenEveryOtherNodeOnceInClockwiseOrder() {
    for (int s = 1; s <= 64; s++) {
      Ring ring = Ring.create(64, Rings.nodes(s));
      for (int p = 0; p < 64; p++) {
        List<NodeId> clockwise = firstMeetings(ring, p);
        for (int n : new int[] {1, 2, 3, 5, 64, 100}) {
          PreferenceList list = ring.preferenceList(p, n);
          assertThat(list.primaries()).as("S=%d p=%d n=%d", s, p, n)
              .hasSize(Math.min(n, s)).doesNotHaveDuplicates().startsWith(ring.owner(p));
          assertThat(list.fallbacks()).hasSize(s - Math.min(n, s));
          assertThat(list.all()).containsExactlyElementsOf(clockwise);
        }
      }
    }
  }

  @Test
  void aLargeRingsListsAreKeptAndTheirFallbacksWalkedOnlyWhenRead() {
    Ring ring = Ring.create(4096, Rings.nodes(1000));
    for (int p : new int[] {0, 1, 2047, 4095}) {
      PreferenceList list = ring.preferenceList(p, 3);
      assertThat(ring.preferenceList(p, 3)).as("kept with the ring").isSameAs(list);
      assertThat(list.fallbacks().get(0)).isEqualTo(firstMeetings(ring, p).get(3));
      assertThat(list.fallbacks().get(999 - 3)).isEqualTo(firstMeetings(ring, p).get(999));
      assertThat(list.all()).containsExactlyElementsOf(firstMeetings(ring, p));
      assertThat(list).isEqualTo(new PreferenceList(List.copyOf(list.primaries()),
          List.copyOf(list.fallbacks())));
      assertThatThrownBy(() -> list.fallbacks().get(997))
          .isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> list.fallbacks().add(NodeId.of("x")))
          .isInstanceOf(UnsupportedOperationException.class);
    }
    assertThat(ring.preferenceList(0, 5).primaries()).hasSize(5);
    assertThat(ring.withNode(NodeId.of("new")).preferenceList(0, 3).all()).hasSize(1001);
  }

  @Test
  void aRingWithRepeatedNeighboursStillYieldsDistinctNodes() {
    NodeId a = NodeId.of("a");
    NodeId b = NodeId.of("b");
    NodeId c = NodeId.of("c");
    Ring ring = Ring.of(List.of(a, a, b, b, a, c, c, c));
    PreferenceList list = ring.preferenceList(0, 3);
    assertThat(list.primaries()).containsExactly(a, b, c);
    assertThat(list.fallbacks()).isEmpty();
    assertThat(ring.preferenceList(6, 2).primaries()).containsExactly(c, a);
    assertThat(ring.preferenceList(6, 2).fallbacks()).containsExactly(b);
  }

  @Test
  void aKeysListIsItsPartitionsList() {
    Ring ring = Ring.create(64, Rings.nodes(9));
    for (int i = 0; i < 500; i++) {
      Key key = Key.of("carts", "cart-" + i);
      assertThat(ring.preferenceList(key, 3)).isEqualTo(ring.preferenceList(ring.partitionOf(key), 3));
    }
  }

  @Test
  void partitionsReplicatedByMatchesThePreferenceLists() {
    for (int s : new int[] {1, 2, 3, 5, 8, 13, 64}) {
      Ring ring = Ring.create(64, Rings.nodes(s));
      for (int n : new int[] {1, 3, 5}) {
        Map<Integer, Integer> replicas = new HashMap<>();
        for (NodeId node : ring.nodes()) {
          Set<Integer> mine = ring.partitionsReplicatedBy(node, n);
          for (int p = 0; p < 64; p++) {
            assertThat(mine.contains(p)).as("S=%d n=%d %s p=%d", s, n, node, p)
                .isEqualTo(ring.preferenceList(p, n).primaries().contains(node));
          }
          mine.forEach(p -> replicas.merge(p, 1, Integer::sum));
        }
        assertThat(replicas).hasSize(64);
        assertThat(replicas.values()).containsOnly(Math.min(n, s));
      }
      assertThat(ring.partitionsReplicatedBy(NodeId.of("stranger"), 3)).isEmpty();
    }
  }

  @Test
  void refusesBadArguments() {
    Ring ring = Ring.create(8, Rings.nodes(3));
    assertInvalid(() -> ring.preferenceList(0, 0)).hasMessageContaining("n = 0");
    assertInvalid(() -> ring.preferenceList(8, 3)).hasMessageContaining("partition 8");
    assertInvalid(() -> ring.partitionsReplicatedBy(NodeId.of("node-00"), -1))
        .hasMessageContaining("n >= 1");
    assertThatThrownBy(() -> ring.preferenceList((Key) null, 3))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void theRecordValidatesAndCopies() {
    NodeId a = NodeId.of("a");
    NodeId b = NodeId.of("b");
    List<NodeId> primaries = new ArrayList<>(List.of(a));
    PreferenceList list = new PreferenceList(primaries, List.of(b));
    primaries.add(b);
    assertThat(list.primaries()).containsExactly(a);
    assertThat(list.all()).containsExactly(a, b);
    assertInvalid(() -> new PreferenceList(List.of(), List.of(a)))
        .hasMessageContaining("at least one primary");
    assertInvalid(() -> new PreferenceList(List.of(a), List.of(b, a)))
        .hasMessageContaining("'a' appears twice");
  }

  /** Independent of the implementation: distinct owners in the order a clockwise walk meets them. */
  private static List<NodeId> firstMeetings(Ring ring, int start) {
    LinkedHashSet<NodeId> met = new LinkedHashSet<>();
    for (int i = 0; i < ring.partitions(); i++) {
      met.add(ring.owners().get((start + i) % ring.partitions()));
    }
    return new ArrayList<>(met);
  }
}
