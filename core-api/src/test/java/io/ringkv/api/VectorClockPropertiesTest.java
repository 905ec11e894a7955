package io.ringkv.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;
import org.quicktheories.impl.Constraint;

/** The vector clock algebra: a partial order, with merge as its least upper bound. */
class VectorClockPropertiesTest {
  private static final List<Actor> ACTORS = List.of(
      new Actor(NodeId.of("n0"), 0), new Actor(NodeId.of("n0"), 1),
      new Actor(NodeId.of("n1"), 0), new Actor(NodeId.of("n2"), 7));

  /** Small counters over few actors, so EQUAL, BEFORE, AFTER and CONCURRENT all come up often. */
  private static final Gen<VectorClock> CLOCKS = in -> {
    TreeMap<Actor, VectorClock.Entry> m = new TreeMap<>();
    for (Actor actor : ACTORS) {
      long counter = in.next(Constraint.between(0, 3));
      if (counter > 0) {
        m.put(actor, new VectorClock.Entry(counter, in.next(Constraint.between(0, 3))));
      }
    }
    return new VectorClock(m);
  };

  private static final Gen<Dot> DOTS = in -> new Dot(
      ACTORS.get((int) in.next(Constraint.between(0, ACTORS.size() - 1))),
      in.next(Constraint.between(1, 4)));

  private static QuickTheory theory() {
    return qt().withFixedSeed(0x5eed_c10cL).withExamples(1000);
  }

  @Test
  void compareIsReflexive() {
    theory().forAll(CLOCKS).checkAssert(c -> {
      assertThat(c.compare(c)).isEqualTo(Occurred.EQUAL);
      assertThat(c.descends(c)).isTrue();
    });
  }

  @Test
  void timestampsDoNotTakePartInOrderOrEquality() {
    theory().forAll(CLOCKS).checkAssert(c -> {
      TreeMap<Actor, VectorClock.Entry> restamped = new TreeMap<>();
      c.entries().forEach((a, e) -> restamped.put(a, new VectorClock.Entry(e.counter(), 99L)));
      VectorClock other = new VectorClock(restamped);
      assertThat(other.compare(c)).isEqualTo(Occurred.EQUAL);
      assertThat(other).isEqualTo(c).hasSameHashCodeAs(c);
    });
  }

  @Test
  void compareIsAntisymmetricAndAgreesWithDescendsAndEquals() {
    theory().forAll(CLOCKS, CLOCKS).checkAssert((a, b) -> {
      Occurred ab = a.compare(b);
      assertThat(b.compare(a)).isEqualTo(mirror(ab));
      assertThat(ab == Occurred.AFTER || ab == Occurred.EQUAL).isEqualTo(a.descends(b));
      assertThat(ab == Occurred.BEFORE || ab == Occurred.EQUAL).isEqualTo(b.descends(a));
      assertThat(ab == Occurred.EQUAL).isEqualTo(a.equals(b));
      if (a.equals(b)) {
        assertThat(a.hashCode()).isEqualTo(b.hashCode());
      }
    });
  }

  @Test
  void descendsIsTransitiveOnRandomTriples() {
    theory().forAll(CLOCKS, CLOCKS, CLOCKS).checkAssert((a, b, c) -> {
      if (a.descends(b) && b.descends(c)) {
        assertThat(a.descends(c)).isTrue();
        assertThat(a.compare(c)).isIn(Occurred.AFTER, Occurred.EQUAL);
      }
    });
  }

  @Test
  void descendsIsTransitiveOnChains() {
    theory().forAll(CLOCKS, CLOCKS, CLOCKS).checkAssert((c, x, y) -> {
      VectorClock b = c.merge(x);
      VectorClock a = b.merge(y);
      assertThat(a.descends(b)).isTrue();
      assertThat(b.descends(c)).isTrue();
      assertThat(a.descends(c)).isTrue();
      assertThat(c.compare(a)).isIn(Occurred.BEFORE, Occurred.EQUAL);
    });
  }

  @Test
  void mergeIsThePointwiseMaximum() {
    theory().forAll(CLOCKS, CLOCKS).checkAssert((a, b) -> {
      VectorClock m = a.merge(b);
      for (Actor actor : ACTORS) {
        assertThat(m.counter(actor)).isEqualTo(Math.max(a.counter(actor), b.counter(actor)));
      }
      assertThat(m.entries().keySet()).allMatch(actor -> a.counter(actor) > 0 || b.counter(actor) > 0);
    });
  }

  @Test
  void mergeIsCommutativeAssociativeAndIdempotent() {
    theory().forAll(CLOCKS, CLOCKS, CLOCKS).checkAssert((a, b, c) -> {
      assertThat(a.merge(b)).isEqualTo(b.merge(a));
      assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
      assertThat(a.merge(a)).isEqualTo(a);
      assertThat(a.merge(VectorClock.empty())).isEqualTo(a);
      assertThat(VectorClock.empty().merge(a)).isEqualTo(a);
    });
  }

  @Test
  void mergeKeepsTheLaterTimestampOfTheWinningEntry() {
    theory().forAll(CLOCKS, CLOCKS).checkAssert((a, b) -> {
      a.merge(b).entries().forEach((actor, e) -> {
        VectorClock.Entry x = a.entries().get(actor);
        VectorClock.Entry y = b.entries().get(actor);
        long expected = x == null ? y.timestamp() : y == null ? x.timestamp()
            : x.counter() != y.counter() ? (x.counter() > y.counter() ? x : y).timestamp()
            : Math.max(x.timestamp(), y.timestamp());
        assertThat(e.timestamp()).isEqualTo(expected);
      });
    });
  }

  @Test
  void mergeIsAnUpperBound() {
    theory().forAll(CLOCKS, CLOCKS).checkAssert((a, b) -> {
      VectorClock m = a.merge(b);
      assertThat(m.descends(a)).isTrue();
      assertThat(m.descends(b)).isTrue();
      assertThat(m.compare(a)).isIn(Occurred.AFTER, Occurred.EQUAL);
    });
  }

  @Test
  void mergeIsTheLeastUpperBound() {
    theory().forAll(CLOCKS, CLOCKS, CLOCKS).checkAssert((a, b, c) -> {
      if (c.descends(a) && c.descends(b)) {
        assertThat(c.descends(a.merge(b))).isTrue();
      }
      // An upper bound built on purpose, so the implication is exercised on every example.
      VectorClock upper = a.merge(b).merge(c);
      assertThat(upper.descends(a.merge(b))).isTrue();
    });
  }

  @Test
  void coversMatchesCounters() {
    theory().forAll(CLOCKS, DOTS).checkAssert((c, dot) -> {
      assertThat(c.covers(dot)).isEqualTo(c.counter(dot.actor()) >= dot.counter());
      assertThat(c.covers(dot)).isEqualTo(c.descends(VectorClock.empty().with(dot, 0L)));
    });
  }

  @Test
  void descendsMeansCoversEveryDotOfTheOther() {
    theory().forAll(CLOCKS, CLOCKS).checkAssert((a, b) -> {
      boolean coversAll = b.entries().entrySet().stream()
          .allMatch(e -> a.covers(new Dot(e.getKey(), e.getValue().counter())));
      assertThat(a.descends(b)).isEqualTo(coversAll);
    });
  }

  @Test
  void withAdvancesToTheDotAndNeverGoesBack() {
    theory().forAll(CLOCKS, DOTS).checkAssert((c, dot) -> {
      VectorClock w = c.with(dot, 42L);
      assertThat(w.covers(dot)).isTrue();
      assertThat(w.descends(c)).isTrue();
      assertThat(w.counter(dot.actor())).isEqualTo(Math.max(c.counter(dot.actor()), dot.counter()));
      assertThat(w).isEqualTo(c.merge(VectorClock.empty().with(dot, 42L)));
      VectorClock inc = c.incremented(dot.actor(), 7L);
      assertThat(inc.compare(c)).isEqualTo(Occurred.AFTER);
      assertThat(inc.counter(dot.actor())).isEqualTo(c.counter(dot.actor()) + 1);
    });
  }

  private static Occurred mirror(Occurred o) {
    switch (o) {
      case BEFORE:
        return Occurred.AFTER;
      case AFTER:
        return Occurred.BEFORE;
      default:
        return o;
    }
  }
}
