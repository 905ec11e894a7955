package io.ringkv.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.function.ToIntFunction;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RingCreateTest {

  @Test
  void everyNodeCountFrom1To64OnQ64IsBalanced() {
    for (int s = 1; s <= 64; s++) {
      Ring ring = Ring.create(64, Rings.nodes(s));
      assertThat(Rings.balanced(ring)).as("S=%d: %s", s, ring.ownershipCounts()).isTrue();
      assertThat(ring.nodes()).containsExactlyElementsOf(Rings.nodes(s));
      assertThat(ring.partitions()).isEqualTo(64);
      assertThat(ring.owners()).hasSize(64);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 4, 8, 16, 32, 128, 256, 512, 1024})
  void otherPartitionCountsAreBalanced(int q) {
    for (int s = 1; s <= Math.min(q, 40); s++) {
      Ring ring = Ring.create(q, Rings.nodes(s));
      assertThat(Rings.balanced(ring)).as("Q=%d S=%d: %s", q, s, ring.ownershipCounts()).isTrue();
    }
  }

  @Test
  void theLayoutDependsOnlyOnTheSetOfNodes() {
    List<NodeId> nodes = Rings.nodes(13);
    Ring reference = Ring.create(64, nodes);
    Random random = new Random(7);
    for (int i = 0; i < 20; i++) {
      List<NodeId> shuffled = new ArrayList<>(nodes);
      Collections.shuffle(shuffled, random);
      assertThat(Ring.create(64, shuffled)).isEqualTo(reference);
      assertThat(Ring.create(64, new HashSet<>(shuffled)).owners())
          .isEqualTo(reference.owners());
      assertThat(Ring.create(64, new LinkedHashSet<>(shuffled))).isEqualTo(reference);
    }
  }

  @Test
  void refusesPartitionCountsThatAreNotPowersOfTwoInRange() {
    for (int q : new int[] {0, -64, 3, 48, 100, 65537, 131072, Integer.MIN_VALUE}) {
      assertInvalid(() -> Ring.create(q, Rings.nodes(1)))
          .hasMessageContaining("partitions " + q)
          .hasMessageContaining("power of two from 1 to 65536");
    }
    assertThat(Ring.create(65536, Rings.nodes(2)).partitions()).isEqualTo(65536);
  }

  @Test
  void refusesEmptyDuplicateAndTooManyNodes() {
    assertInvalid(() -> Ring.create(64, List.of())).hasMessageContaining("at least one node");
    NodeId a = NodeId.of("a");
    assertInvalid(() -> Ring.create(64, List.of(a, NodeId.of("b"), a)))
        .hasMessageContaining("'a' is listed twice");
    assertInvalid(() -> Ring.create(8, Rings.nodes(9)))
        .hasMessageContaining("9 nodes cannot share 8 partitions");
    assertThatThrownBy(() -> Ring.create(64, null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Ring.create(64, Arrays.asList(a, null)))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void ofRebuildsARingFromItsOwners() {
    Ring ring = Ring.create(64, Rings.nodes(5));
    Ring copy = Ring.of(new ArrayList<>(ring.owners()));
    assertThat(copy).isEqualTo(ring).hasSameHashCodeAs(ring);
    assertThat(copy.ownershipCounts()).isEqualTo(ring.ownershipCounts());
    assertThat(copy.nodes()).isEqualTo(ring.nodes());
    assertThat(ring).isNotEqualTo(Ring.create(64, Rings.nodes(6)));
  }

  @Test
  void ofValidatesTheOwnerList() {
    NodeId a = NodeId.of("a");
    assertInvalid(() -> Ring.of(List.of())).hasMessageContaining("owner list of 0 entries");
    assertInvalid(() -> Ring.of(List.of(a, a, a))).hasMessageContaining("power of two");
    assertInvalid(() -> Ring.of(Arrays.asList(a, null)))
        .hasMessageContaining("owner of partition 1 is null");
    // Gossip may carry an unbalanced ring: accepted as it is.
    Ring unbalanced = Ring.of(List.of(a, a, a, NodeId.of("b")));
    assertThat(unbalanced.ownershipCounts()).containsEntry(a, 3).containsEntry(NodeId.of("b"), 1);
  }

  @Test
  void viewsAreUnmodifiable() {
    Ring ring = Ring.create(8, Rings.nodes(2));
    NodeId x = NodeId.of("x");
    assertThatThrownBy(() -> ring.owners().set(0, x))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ring.nodes().add(x))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ring.ownershipCounts().put(x, 1))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void partitionIsTheTopBitsOfTheToken() {
    Ring ring = Ring.create(64, Rings.nodes(3));
    assertThat(ring.partitionOf(new Token(0))).isZero();
    assertThat(ring.partitionOf(new Token(-1L))).isEqualTo(63);
    assertThat(ring.partitionOf(new Token(Long.MIN_VALUE))).isEqualTo(32);
    assertThat(ring.partitionOf(new Token(Long.MAX_VALUE))).isEqualTo(31);
    assertThat(ring.partitionOf(new Token(0x0400000000000000L))).isEqualTo(1);
    assertThat(ring.partitionOf(new Token(0x03FFFFFFFFFFFFFFL))).isZero();
    Ring single = Ring.create(1, Rings.nodes(1));
    assertThat(single.partitionOf(new Token(-1L))).isZero();
    assertThat(single.partitionOf(new Token(Long.MIN_VALUE))).isZero();
    Ring big = Ring.create(65536, Rings.nodes(1));
    assertThat(big.partitionOf(new Token(-1L))).isEqualTo(65535);
  }

  @Test
  void partitionOfAKeyIsStableInRangeAndUsableAsAFunction() {
    Ring ring = Ring.create(64, Rings.nodes(4));
    Ring same = Ring.create(64, Rings.nodes(4));
    ToIntFunction<Key> partitioner = ring::partitionOf;
    for (int i = 0; i < 2000; i++) {
      Key key = Key.of("b", "key-" + i);
      int p = partitioner.applyAsInt(key);
      assertThat(p).isBetween(0, 63).isEqualTo(ring.partitionOf(Token.of(key)))
          .isEqualTo(same.partitionOf(key));
      // Partitions are contiguous ranges: the token order and the partition order agree.
      assertThat(p).isEqualTo((int) (Token.of(key).value() >>> 58));
    }
  }

  @Test
  void ownerAndContains() {
    Ring ring = Ring.create(8, Rings.nodes(2));
    assertThat(ring.owner(0)).isEqualTo(ring.owners().get(0));
    assertInvalid(() -> ring.owner(8)).hasMessageContaining("partition 8 is out of range");
    assertInvalid(() -> ring.owner(-1)).hasMessageContaining("partitions 0 to 7");
    assertThat(ring.contains(NodeId.of("node-01"))).isTrue();
    assertThat(ring.contains(NodeId.of("node-02"))).isFalse();
    assertThat(ring).hasToString("Ring[partitions=8, nodes=[node-00, node-01]]");
    assertThat(Ring.create(64, Rings.nodes(20))).hasToString("Ring[partitions=64, nodes=20]");
  }

  static AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(Runnable call) {
    return assertThatThrownBy(call::run).isInstanceOfSatisfying(RingkvException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
  }
}
