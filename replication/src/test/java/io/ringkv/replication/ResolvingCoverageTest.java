package io.ringkv.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Dot;
import io.ringkv.api.GetResult;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.QuorumSpec;
import io.ringkv.api.RequestOptions;
import io.ringkv.api.Resolution;
import io.ringkv.api.Scheduler;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import io.ringkv.replication.api.ReplicaNetwork;
import io.ringkv.ring.Ring;
import io.ringkv.storage.spi.HintStores;
import io.ringkv.storage.spi.StorageEngines;
import io.ringkv.versioning.DotIssuer;
import io.ringkv.versioning.PruningPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Every permitted subtype of {@link Resolution} has a branch in {@link Resolving}: Java 17 has no
 * exhaustive pattern switch, so the chain ends in an AssertionError and this walks each subtype
 * through it. A new subtype added to the list below without a branch fails here.
 */
class ResolvingCoverageTest {
  private static final NodeId SELF = NodeId.of("a");

  @Test
  void everyResolutionHasABranch() {
    Key key = Key.of("b", "k");
    Versioned<Bytes> one = version(1, "x");
    Versioned<Bytes> two = version(2, "y");
    List<Resolution> each = List.of(new Resolution.Keep(List.of(one)),
        new Resolution.Merged(Bytes.utf8("xy"), 3, false));
    assertThat(each.stream().map(Object::getClass).distinct())
        .as("one sample per permitted subtype of Resolution")
        .containsExactlyInAnyOrder(Resolution.class.getPermittedSubclasses());
    for (Resolution r : each) {
      Plan plan = plan(key, siblings -> r);
      GetResult result = resolving().resolve(plan, Siblings.of(List.of(one, two)));
      assertThat(result.siblings()).isNotEmpty();
    }
  }

  private static Versioned<Bytes> version(long counter, String value) {
    return new Versioned<>(Bytes.utf8(value), new Dot(new Actor(NodeId.of("z" + counter), 1), 1),
        VectorClock.empty(), counter, false);
  }

  private static Plan plan(Key key, io.ringkv.api.ConflictResolver resolver) {
    BucketPolicy policy = new BucketPolicy(new QuorumSpec(1, 1, 1), "test", resolver);
    return new Planner(() -> Ring.create(4, List.of(SELF)),
        BucketPolicies.of(policy, Map.of()), ReplicationSettings.DEFAULTS)
        .plan(key, RequestOptions.DEFAULT);
  }

  private static Resolving resolving() {
    var engine = StorageEngines.inMemory(k -> 0);
    ReplicaNetwork none = (to, request) -> new CompletableFuture<>();
    Scheduler never = (delay, task) -> () -> { };
    var selector = new ReplicaSelector(SELF, n -> true);
    var handoff = new HintedHandoff(HintStores.inMemory(), none, n -> true, never, Runnable::run,
        Clock.systemUTC(), HandoffSettings.DEFAULTS, Duration.ofSeconds(1),
        ReplicationListener.NONE);
    Coordinator coordinator = new Coordinator(SELF,
        new VersionWriter(new DotIssuer(new Actor(SELF, 1), 0), engine, PruningPolicy.DEFAULT),
        selector, none, never, Clock.systemUTC(),
        new ReadRepair(SELF, engine, none, ReplicationSettings.DEFAULTS),
        handoff, new LocalReplica(engine, handoff), ReplicationSettings.DEFAULTS,
        ReplicationListener.NONE, Runnable::run);
    return new Resolving(coordinator);
  }
}
