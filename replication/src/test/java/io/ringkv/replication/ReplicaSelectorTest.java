package io.ringkv.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.Bytes;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.QuorumSpec;
import io.ringkv.api.RequestOptions;
import io.ringkv.api.Resolution;
import io.ringkv.api.Siblings;
import io.ringkv.ring.Ring;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one place a request's replicas and fall-backs are chosen. */
class ReplicaSelectorTest {
  private final List<NodeId> ids = List.of(NodeId.of("a"), NodeId.of("b"), NodeId.of("c"),
      NodeId.of("d"), NodeId.of("e"));
  private final Ring ring = Ring.create(16, ids);

  private Plan plan(boolean sloppy) {
    BucketPolicy policy = new BucketPolicy(new QuorumSpec(3, 2, 2), "siblings",
        s -> new Resolution.Keep(Siblings.of(s).versions()), sloppy);
    return new Planner(() -> ring, BucketPolicies.of(policy, Map.of()),
        ReplicationSettings.DEFAULTS).plan(Key.of("b", "k"), RequestOptions.DEFAULT);
  }

  @Test
  void writesGoToTheOtherPrimariesSplitByTheFailureDetector() {
    Plan plan = plan(true);
    List<NodeId> primaries = plan.primaries();
    NodeId self = primaries.get(0);
    NodeId down = primaries.get(2);
    ReplicaSelector selector = new ReplicaSelector(self, n -> !n.equals(down));
    ReplicaSelector.Targets write = selector.forWrite(plan);
    assertThat(write.reachable()).containsExactly(primaries.get(1));
    assertThat(write.down()).containsExactly(down);
    ReplicaSelector.Targets read = selector.forRead(plan);
    assertThat(read.reachable()).containsExactly(self, primaries.get(1));
    assertThat(selector.coordinators(plan)).containsExactly(self, primaries.get(1));
  }

  @Test
  void aFallbackIsTheFirstNodeBeyondTheTopNThatIsUpAndUnused() {
    Plan plan = plan(true);
    List<NodeId> fallbacks = plan.preference().fallbacks();
    NodeId self = plan.primaries().get(0);
    ReplicaSelector selector = new ReplicaSelector(self, n -> !n.equals(fallbacks.get(0)));
    Set<NodeId> used = new java.util.HashSet<>(plan.primaries());
    assertThat(selector.fallback(plan, used)).contains(fallbacks.get(1));
    used.add(fallbacks.get(1));
    assertThat(selector.fallback(plan, used)).as("the only other one is down").isEmpty();
  }

  @Test
  void aStrictBucketHasNoFallback() {
    Plan plan = plan(false);
    ReplicaSelector selector = new ReplicaSelector(plan.primaries().get(0), n -> true);
    assertThat(selector.fallback(plan, Set.of())).isEmpty();
  }

  @Test
  void thePlanCarriesPrAndPwAndRefusesMoreThanN() {
    BucketPolicy policy = new BucketPolicy(new QuorumSpec(3, 2, 2), "siblings",
        s -> new Resolution.Keep(Siblings.of(s).versions()));
    Planner planner = new Planner(() -> ring, BucketPolicies.of(policy, Map.of()),
        ReplicationSettings.DEFAULTS);
    Plan p = planner.plan(Key.of("b", "k"), RequestOptions.DEFAULT.withPr(1).withPw(3));
    assertThat(p.pr()).isEqualTo(1);
    assertThat(p.pw()).isEqualTo(3);
    assertThat(p.sloppy()).isTrue();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> planner.plan(Key.of("b", "k"),
        RequestOptions.DEFAULT.withPr(4))).hasMessageContaining("pr=4");
    assertThat(Bytes.EMPTY.isEmpty()).isTrue();
  }
}
