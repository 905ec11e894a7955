package io.ringkv.ring;

import static io.ringkv.ring.RingCreateTest.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.NodeId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RingMembershipTest {
  private static final NodeId NEW = NodeId.of("newcomer");

  @ParameterizedTest
  @ValueSource(ints = {8, 16, 32, 64, 128, 256, 1024})
  void aJoinMovesOnlyWhatTheNewNodeTakesAndStaysBalanced(int q) {
    for (int s = 1; s < Math.min(q, 64); s++) {
      Ring before = Ring.create(q, Rings.nodes(s));
      checkJoin(before, NEW);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {8, 16, 32, 64, 128, 256, 1024})
  void aLeaveMovesOnlyTheLeaversPartitionsAndStaysBalanced(int q) {
    for (int s = 2; s <= Math.min(q, 64); s++) {
      Ring before = Ring.create(q, Rings.nodes(s));
      List<NodeId> nodes = Rings.nodes(s);
      for (NodeId leaver : List.of(nodes.get(0), nodes.get(s / 2), nodes.get(s - 1))) {
        checkLeave(before, leaver);
      }
    }
  }

  @Test
  void growingOneNodeAtATimeTo64AndShrinkingBackStaysBalanced() {
    Ring ring = Ring.create(64, Rings.nodes(1));
    for (int s = 1; s < 64; s++) {
      ring = checkJoin(ring, NodeId.of("grown-" + s));
    }
    assertThat(ring.ownershipCounts().values()).containsOnly(1);
    List<NodeId> order = new ArrayList<>(ring.nodes());
    Collections.shuffle(order, new Random(11));
    for (NodeId leaver : order.subList(0, 63)) {
      ring = checkLeave(ring, leaver);
    }
    assertThat(ring.nodes()).containsExactly(order.get(63));
  }

  @Test
  void joinAndLeaveAreDeterministic() {
    Ring ring = Ring.create(64, Rings.nodes(7));
    assertThat(ring.withNode(NEW)).isEqualTo(Ring.create(64, Rings.nodes(7)).withNode(NEW));
    NodeId leaver = NodeId.of("node-03");
    assertThat(ring.withoutNode(leaver))
        .isEqualTo(Ring.of(new ArrayList<>(ring.owners())).withoutNode(leaver));
  }

  @Test
  void refusesObviousMisuse() {
    Ring ring = Ring.create(4, Rings.nodes(2));
    assertInvalid(() -> ring.withNode(NodeId.of("node-00")))
        .hasMessageContaining("'node-00' is already in the ring");
    assertInvalid(() -> ring.withoutNode(NEW)).hasMessageContaining("'newcomer' is not in the ring");
    Ring single = Ring.create(4, Rings.nodes(1));
    assertInvalid(() -> single.withoutNode(NodeId.of("node-00")))
        .hasMessageContaining("'node-00' is the last node");
    Ring full = Ring.create(4, Rings.nodes(4));
    assertInvalid(() -> full.withNode(NEW)).hasMessageContaining("5 nodes cannot share 4 partitions");
  }

  @Test
  void transfersListExactlyTheChangedPartitions() {
    Ring before = Ring.create(16, Rings.nodes(3));
    assertThat(before.transfersTo(before)).isEmpty();
    NodeId x = NodeId.of("x");
    List<NodeId> owners = new ArrayList<>(before.owners());
    NodeId old5 = owners.set(5, x);
    NodeId old9 = owners.set(9, x);
    Map<Integer, Transfer> moves = before.transfersTo(Ring.of(owners));
    assertThat(moves).containsExactly(
        Map.entry(5, new Transfer(old5, x)), Map.entry(9, new Transfer(old9, x)));
    assertInvalid(() -> before.transfersTo(Ring.create(32, Rings.nodes(3))))
        .hasMessageContaining("ring of 16 partitions with one of 32");
    assertInvalid(() -> new Transfer(x, x)).hasMessageContaining("'x' to itself");
  }

  @Test
  void anUnbalancedGossipedRingStillMovesOnlyWhatItMust() {
    NodeId a = NodeId.of("a");
    NodeId b = NodeId.of("b");
    List<NodeId> owners = new ArrayList<>(Collections.nCopies(14, a));
    owners.add(b);
    owners.add(b);
    Ring lopsided = Ring.of(owners);
    Ring joined = lopsided.withNode(NEW);
    assertThat(lopsided.transfersTo(joined).values())
        .hasSize(16 / 3).allSatisfy(t -> assertThat(t).isEqualTo(new Transfer(a, NEW)));
    Ring left = joined.withoutNode(a);
    assertThat(joined.transfersTo(left).values()).allSatisfy(t -> assertThat(t.from()).isEqualTo(a));
    assertThat(left.nodes()).containsExactly(b, NEW);
  }

  static Ring checkJoin(Ring before, NodeId joiner) {
    int q = before.partitions();
    int s = before.nodes().size();
    Ring after = before.withNode(joiner);
    Map<Integer, Transfer> moves = before.transfersTo(after);
    assertThat(moves.values()).as("Q=%d S=%d", q, s)
        .allSatisfy(t -> assertThat(t.to()).isEqualTo(joiner));
    assertThat(moves).hasSizeLessThanOrEqualTo((q + s) / (s + 1)).hasSize(q / (s + 1));
    assertThat(after.nodes()).hasSize(s + 1).contains(joiner).containsAll(before.nodes());
    assertThat(Rings.balanced(after)).as("Q=%d S=%d+1: %s", q, s, after.ownershipCounts())
        .isTrue();
    return after;
  }

  static Ring checkLeave(Ring before, NodeId leaver) {
    int q = before.partitions();
    int s = before.nodes().size();
    Ring after = before.withoutNode(leaver);
    Map<Integer, Transfer> moves = before.transfersTo(after);
    assertThat(moves.values()).as("Q=%d S=%d", q, s)
        .allSatisfy(t -> assertThat(t.from()).isEqualTo(leaver));
    assertThat(moves).hasSize(before.ownershipCounts().get(leaver));
    assertThat(after.nodes()).hasSize(s - 1).doesNotContain(leaver);
    assertThat(Rings.balanced(after)).as("Q=%d S=%d-1: %s", q, s, after.ownershipCounts())
        .isTrue();
    return after;
  }
}
