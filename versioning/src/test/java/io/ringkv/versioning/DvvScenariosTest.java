package io.ringkv.versioning;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.Dot;
import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's flow as this module serves it: a get returns the encoded join of the
 * siblings' clocks, a put decodes it and takes a dot from the node's {@link DotIssuer}.
 */
class DvvScenariosTest {
  private static final NodeId N1 = NodeId.of("n1");
  private static final NodeId N2 = NodeId.of("n2");

  /** One replica of the key, coordinating writes as {@code issuer}'s actor. */
  private static final class Node {
    DotIssuer issuer;
    Siblings local = Siblings.empty();
    long now = 1_000;

    Node(Actor actor) {
      issuer = new DotIssuer(actor);
    }

    Context get() {
      return Context.parse(ContextCodec.encode(local.clock()).encoded());
    }

    Versioned<Bytes> put(Context context, String value) {
      return write(context, value, false);
    }

    Versioned<Bytes> delete(Context context) {
      return write(context, null, true);
    }

    private Versioned<Bytes> write(Context context, String value, boolean tombstone) {
      VectorClock seen = ContextCodec.decode(context);
      Dot dot = issuer.next(local.clock().merge(seen));
      Versioned<Bytes> v = new Versioned<>(tombstone ? Bytes.EMPTY : Bytes.utf8(value), dot, seen,
          now++, tombstone);
      local = local.add(v);
      return v;
    }
  }

  private final Actor a = new Actor(N1, Epochs.fresh(new SplittableRandom(1)));
  private final Node n1 = new Node(a);

  @Test
  void twoPutsFromOneContextThroughOneCoordinatorAreSiblings() {
    n1.put(Context.EMPTY, "v0");
    Context read = n1.get();

    Versioned<Bytes> x = n1.put(read, "x");
    Versioned<Bytes> y = n1.put(read, "y");

    assertThat(x.dot()).isNotEqualTo(y.dot());
    assertThat(n1.local.versions()).containsExactly(x, y);
  }

  @Test
  void twoBlindPutsThroughOneCoordinatorAreSiblings() {
    Versioned<Bytes> x = n1.put(Context.EMPTY, "x");
    Versioned<Bytes> y = n1.put(Context.EMPTY, "y");

    assertThat(n1.local.versions()).containsExactly(x, y);
  }

  @Test
  void aPutWithTheReadContextReplacesAllSiblings() {
    n1.put(Context.EMPTY, "x");
    n1.put(Context.EMPTY, "y");

    Versioned<Bytes> resolved = n1.put(n1.get(), "xy");

    assertThat(n1.local.versions()).containsExactly(resolved);
  }

  @Test
  void aDeleteWithTheReadContextLeavesOnlyItsTombstone() {
    n1.put(Context.EMPTY, "x");

    n1.delete(n1.get());

    assertThat(n1.local.isDeleted()).isTrue();
    assertThat(n1.local.live()).isEmpty();
  }

  @Test
  void aStaleReplicaIsFoundAndRepaired() {
    Node n2 = new Node(new Actor(N2, 3));
    n1.put(Context.EMPTY, "v1");
    n2.local = n1.local;
    Versioned<Bytes> v2 = n1.put(n1.get(), "v2");

    Reconciled r = Reconciler.reconcile(Map.of(N1, n1.local, N2, n2.local));

    assertThat(r.merged().versions()).containsExactly(v2);
    assertThat(r.stale()).containsExactly(N2);
    n2.local = n2.local.merge(r.merged());
    assertThat(Reconciler.reconcile(Map.of(N1, n1.local, N2, n2.local)).consistent()).isTrue();
  }

  /** Riak's KV679: a node that lost its disk must not reissue the dots of its former life. */
  @Test
  void aNewEpochKeepsAReplacedNodesWritesApartFromItsFormerLife() {
    Node n2 = new Node(a);
    Versioned<Bytes> before = n1.put(Context.EMPTY, "acknowledged");
    n2.local = n1.local;

    // n1 loses its disk. Restarting as the same actor would reissue (a, 1): the old write and
    // the new one would be "the same dot", and one of them silently lost.
    Versioned<Bytes> sameActor = new Node(a).put(Context.EMPTY, "after");
    assertThat(sameActor.dot()).isEqualTo(before.dot());
    assertThat(n2.local.add(sameActor).size()).isEqualTo(1);

    // With a fresh epoch, the new life's writes are siblings of the old ones.
    Node reborn = new Node(new Actor(N1, Epochs.fresh(new SplittableRandom(2))));
    Versioned<Bytes> after = reborn.put(Context.EMPTY, "after");
    assertThat(n2.local.add(after).versions()).containsExactlyInAnyOrder(before, after);
  }

  @Test
  void aPrunedContextLeavesAFalseSiblingNotALoss() {
    Node n2 = new Node(new Actor(N2, 1));
    Versioned<Bytes> x = n1.put(Context.EMPTY, "x");
    n2.local = n1.local;
    n2.now = 5_000;
    Versioned<Bytes> y = n2.put(Context.EMPTY, "y");
    VectorClock read = n2.local.clock();

    VectorClock pruned = new PruningPolicy(1).prune(read);
    Versioned<Bytes> z = n2.put(ContextCodec.encode(pruned), "z");

    assertThat(pruned.covers(y.dot())).isTrue();
    assertThat(pruned.covers(x.dot())).isFalse();
    assertThat(n2.local.versions()).containsExactlyInAnyOrder(x, z);
  }
}
