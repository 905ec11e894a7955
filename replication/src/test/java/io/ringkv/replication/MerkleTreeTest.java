package io.ringkv.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {
  private static final int BITS = 6; // 64 partitions

  @Test
  void theSameEntriesInAnyOrderGiveTheSameHashesAtEveryLevel() {
    Random random = new Random(7);
    List<long[]> entries = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      entries.add(new long[] {random.nextLong(), random.nextLong() | 1});
    }
    MerkleTree a = new MerkleTree(BITS);
    MerkleTree b = new MerkleTree(BITS);
    entries.forEach(e -> a.set(e[0], e[1]));
    Collections.shuffle(entries, random);
    entries.forEach(e -> b.set(e[0], e[1]));

    assertThat(a.rootHash()).isEqualTo(b.rootHash()).isNotZero();
    int[] all = new int[MerkleTree.SEGMENTS];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    assertThat(a.hashes(2, all)).isEqualTo(b.hashes(2, all));
    assertThat(a.size()).isEqualTo(2_000);
    for (int s = 0; s < MerkleTree.SEGMENTS; s++) {
      assertThat(a.entries(s)).isEqualTo(b.entries(s));
    }
  }

  @Test
  void oneDifferentLeafShowsInItsSegmentItsInnerNodeAndTheRootOnly() {
    MerkleTree a = new MerkleTree(BITS);
    MerkleTree b = new MerkleTree(BITS);
    Random random = new Random(3);
    long changed = 0;
    for (int i = 0; i < 500; i++) {
      long token = random.nextLong();
      a.set(token, 11 + i);
      b.set(token, 11 + i);
      changed = token;
    }
    b.set(changed, 999_999);
    int segment = a.segmentOf(changed);

    assertThat(a.rootHash()).isNotEqualTo(b.rootHash());
    for (int i = 0; i < MerkleTree.SEGMENTS / MerkleTree.FANOUT; i++) {
      boolean differs = a.hashes(1, new int[] {i})[0] != b.hashes(1, new int[] {i})[0];
      assertThat(differs).isEqualTo(i == segment / MerkleTree.FANOUT);
    }
    for (int s = 0; s < MerkleTree.SEGMENTS; s++) {
      boolean differs = a.hashes(2, new int[] {s})[0] != b.hashes(2, new int[] {s})[0];
      assertThat(differs).isEqualTo(s == segment);
    }
  }

  @Test
  void removingEveryEntryOrClearingLeavesAnEmptyTree() {
    MerkleTree t = new MerkleTree(BITS);
    long[] tokens = new Random(5).longs(300).toArray();
    for (long token : tokens) {
      t.set(token, token * 31 + 7);
    }
    for (long token : tokens) {
      t.set(token, 0);
    }
    assertThat(t.rootHash()).isZero();
    assertThat(t.size()).isZero();

    for (long token : tokens) {
      t.set(token, 5);
    }
    t.clear();
    assertThat(t.rootHash()).isZero();
    assertThat(t.size()).isZero();
  }

  @Test
  void aSegmentIsTheTokenBitsJustBelowThePartitionBits() {
    MerkleTree t = new MerkleTree(BITS);
    long token = (0b101010L << 58) | (0b1111000011L << 48) | 12345;
    assertThat(t.segmentOf(token)).isEqualTo(0b1111000011);
    assertThat(new MerkleTree(0).segmentOf(-1L)).isEqualTo(MerkleTree.SEGMENTS - 1);
  }

  @Test
  void entriesAreSortedByUnsignedToken() {
    MerkleTree t = new MerkleTree(0);
    long high = 0xFFF0_0000_0000_0001L; // same segment as the next, above it unsigned
    long low = 0xFFF0_0000_0000_0000L;
    t.set(high, 1);
    t.set(low, 2);
    assertThat(t.entries(t.segmentOf(low))[0]).containsExactly(low, high);
  }

  @Test
  void aLevelOrIndexOutsideTheTreeIsRefusedNamingIt() {
    MerkleTree t = new MerkleTree(BITS);
    assertThatThrownBy(() -> t.hashes(3, new int[] {0})).hasMessageContaining("not 3");
    assertThatThrownBy(() -> t.hashes(1, new int[] {32})).hasMessageContaining("not 32");
    assertThatThrownBy(() -> t.entries(-1)).hasMessageContaining("not -1");
  }
}
