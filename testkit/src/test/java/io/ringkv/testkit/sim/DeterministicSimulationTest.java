package io.ringkv.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs {@link Simulation} over many seeds: each run crashes nodes, wipes a replica's engine and a
 * node's hint store, partitions and loses messages, has nodes join, leave and be removed, then
 * lets handoff and anti-entropy converge the cluster without a read. By default 200 seeds of
 * 1000 operations each; on demand, more: {@code -Dringkv.sim.seeds=5000
 * -Dringkv.sim.firstSeed=1000}; one failing seed alone: {@code -Dringkv.sim.seed=42}; each run's
 * summary: {@code -Dringkv.sim.verbose=true}; nodes that learn ring changes later than by
 * default: {@code -Dringkv.sim.lagMs=2000}.
 */
class DeterministicSimulationTest {

  static LongStream seeds() {
    String one = System.getProperty("ringkv.sim.seed");
    if (one != null && !one.isBlank()) {
      return LongStream.of(Long.parseLong(one.trim()));
    }
    long first = Long.getLong("ringkv.sim.firstSeed", 1L);
    return LongStream.range(first, first + Integer.getInteger("ringkv.sim.seeds", 200));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void noAcknowledgedWriteIsLostAndReplicasConverge(long seed) {
    Simulation.Config config = Simulation.Config.standard()
        .withOperations(Integer.getInteger("ringkv.sim.operations", 1000));
    String lag = System.getProperty("ringkv.sim.lagMs");
    if (lag != null && !lag.isBlank()) {
      config = config.withMembershipLag(Duration.ofMillis(Long.parseLong(lag.trim())));
    }
    Simulation.Result result = Simulation.run(seed, config);
    if (Boolean.getBoolean("ringkv.sim.verbose")) {
      System.out.println(result.summary());
    }
    assertThat(result.violations())
        .as("%s%nreproduce with: mvn -pl testkit test -Dtest=DeterministicSimulationTest "
            + "-Dringkv.sim.seed=%d", result.summary(), seed)
        .isEmpty();
    assertThat(result.acknowledgedWrites()).as("the run must exercise writes").isPositive();
    if (result.restarts() >= 2) {
      assertThat(result.dataWipes()).as("a replica's data wiped").isPositive();
      assertThat(result.hintWipes()).as("a node's hints dropped").isPositive();
    }
    assertThat(result.repairs().keysRepaired()).as("anti-entropy must repair keys").isPositive();
    assertThat(result.changes().joins()).as("a node joined").isPositive();
    assertThat(result.changes().leaves()).as("a node left").isPositive();
    assertThat(result.changes().switches()).as("the ring switched")
        .isGreaterThanOrEqualTo(2);
  }
}
