package io.ringkv.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.ringkv.api.NodeId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Random rings and random join/leave histories (QuickTheories, fixed seed): after every step the
 * ring is balanced, moved only what it had to, and gives well-formed preference lists.
 */
class RingPropertyTest {
  private static final Gen<Integer> PARTITIONS = integers().between(3, 10).map(b -> 1 << b);

  @Test
  void randomHistoriesKeepEveryInvariant() {
    qt().withFixedSeed(20241123L).withExamples(60)
        .forAll(PARTITIONS, integers().between(1, 24),
            lists().of(integers().between(0, 999)).ofSizeBetween(1, 20))
        .checkAssert((q, initial, ops) -> {
          Ring ring = Ring.create(q, names(initial, q));
          int joined = 0;
          for (int op : ops) {
            int s = ring.nodes().size();
            boolean join = s == 1 || (op % 2 == 0 && s < q);
            if (join) {
              ring = RingMembershipTest.checkJoin(ring, NodeId.of("j" + joined++));
            } else {
              List<NodeId> nodes = new ArrayList<>(ring.nodes());
              ring = RingMembershipTest.checkLeave(ring, nodes.get(op % nodes.size()));
            }
            checkPreferenceLists(ring, op);
          }
        });
  }

  @Test
  void creationIgnoresTheOrderOfTheNodes() {
    qt().withFixedSeed(7L).withExamples(100)
        .forAll(PARTITIONS, integers().between(1, 64), integers().all())
        .checkAssert((q, s, seed) -> {
          List<NodeId> nodes = names(s, q);
          List<NodeId> shuffled = new ArrayList<>(nodes);
          Collections.shuffle(shuffled, new Random(seed));
          Ring ring = Ring.create(q, nodes);
          assertThat(Ring.create(q, shuffled)).isEqualTo(ring);
          assertThat(Ring.create(q, new TreeSet<>(shuffled))).isEqualTo(ring);
          assertThat(Rings.balanced(ring)).isTrue();
        });
  }

  private static void checkPreferenceLists(Ring ring, int seed) {
    int q = ring.partitions();
    int s = ring.nodes().size();
    for (int p = seed % 7; p < q; p += 7) {
      int n = 1 + (p + seed) % 5;
      PreferenceList list = ring.preferenceList(p, n);
      assertThat(list.primaries()).hasSize(Math.min(n, s)).startsWith(ring.owner(p));
      assertThat(list.all()).hasSize(s).doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(ring.nodes());
    }
  }

  /** min(s, q) distinct, randomly spelled node names (the order of names is not the order given). */
  private static List<NodeId> names(int s, int q) {
    List<NodeId> nodes = new ArrayList<>();
    for (int i = 0; i < Math.min(s, q); i++) {
      nodes.add(NodeId.of(Integer.toHexString(i * 0x9E3779B1) + "-" + i));
    }
    return nodes;
  }
}
