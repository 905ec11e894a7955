package io.ringkv.testkit.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.GetResult;
import io.ringkv.api.Key;
import io.ringkv.api.KvStore;
import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;
import io.ringkv.replication.RoundReport;
import io.ringkv.testkit.sim.SimCluster;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Anti-entropy reaps a key's tombstones only when no older version of it can still arrive: not
 * while a write that the tombstones superseded is still placing its copies (a copy that becomes
 * a hint later would bring the deleted value back, and anti-entropy would spread it).
 */
class TombstoneReapTest {
  private final SimCluster cluster = SimCluster.builder().nodes(5).seed(7)
      .requestTimeout(Duration.ofSeconds(2)).build();

  @Test
  void aDeletedValueStaysDeletedWhenItsLastCopyBecomesAHintAfterTheTombstonesWereSeen() {
    Key key = Key.of("b", "late-hint");
    List<NodeId> primaries = cluster.replicas(key, 3);
    NodeId coordinator = primaries.get(0);
    NodeId cutOff = primaries.get(2);
    KvStore store = cluster.node(coordinator).store();
    // Cut off (not crashed: still up for the failure detector), the third primary misses v1; its
    // copy becomes a hint on a fall-back only once the replica wait (1 s here) has passed.
    cluster.network().partition(Set.of(cutOff));
    cluster.join(store.put(key, Context.EMPTY, Bytes.utf8("v1")));
    cluster.network().heal();
    GetResult read = cluster.join(store.get(key));
    cluster.join(store.delete(key, read.context()));
    assertThat(cluster.holdings(key).values()).filteredOn(s -> !s.isEmpty()).hasSize(3)
        .allMatch(Siblings::isDeleted);
    // Two rounds in a row, as `ringkv repair` twice or a periodic round right after a slow one.
    cluster.join(cluster.node(coordinator).repair(OptionalInt.empty()));
    RoundReport second = cluster.join(cluster.node(coordinator).repair(OptionalInt.empty()));
    cluster.advance(Duration.ofSeconds(5)); // the copy for the third primary, handed off
    cluster.join(cluster.node(coordinator).repair(OptionalInt.empty()));
    assertThat(cluster.holdings(key).values())
        .as("v1 was deleted; the second round reaped %d keys", second.reaped())
        .noneMatch(s -> s.live().stream().anyMatch(v -> v.value().toUtf8().equals("v1")));
    assertThat(second.reaped()).as("rounds back to back never reap").isZero();
    // Once the late copy has been merged and the tombstones seen long enough, they do go.
    for (int i = 0; i < 3; i++) {
      cluster.advance(Duration.ofSeconds(5));
      cluster.join(cluster.node(coordinator).repair(OptionalInt.empty()));
    }
    assertThat(cluster.holdings(key).values()).allMatch(Siblings::isEmpty);
  }
}
