package io.ringkv.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.Bytes;
import io.ringkv.api.Key;
import io.ringkv.api.Siblings;
import io.ringkv.api.Versioned;
import io.ringkv.storage.spi.StorageSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the engine in a child JVM ({@link CrashChild}) under a write load, kills it with SIGKILL
 * ({@link ChildJvm#kill()}) at seeded random moments, and after every kill opens the
 * folder and checks that every acknowledged write is there and that no record is corrupt. With
 * {@code none} the writes sit in the page cache, which a killed process does not lose either.
 */
class CrashIT {
  private static final int ROUNDS = 4;
  private static final long SEED = 20261123L;

  @TempDir
  Path directory;

  @ParameterizedTest
  @ValueSource(strings = {"batch", "always", "none"})
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void everyAcknowledgedWriteSurvivesKillMinus9(String sync) throws Exception {
    Random random = new Random(SEED + sync.hashCode());
    Map<String, long[]> acked = new HashMap<>(); // key -> {counter, tombstone ? 1 : 0}
    Path folder = directory.resolve(sync);
    for (int round = 1; round <= ROUNDS; round++) {
      int millis = 100 + random.nextInt(900);
      int acksThisRound = runAndKill(folder, sync, random.nextLong(), millis, acked);
      System.out.printf("sync=%s round %d: killed %d ms into the load, %d acknowledged writes%n", sync, round, millis,
          acksThisRound);
      assertThat(acksThisRound).as("round %d acknowledged writes", round).isPositive();
      verify(folder, sync, acked);
    }
    try (LogStorageEngine engine = Fixtures.open(folder, CrashChild.options(sync))) {
      // One more start, from the snapshot the verifying open left: same contents.
      assertThat(engine.stats().recoveredFromSnapshot()).isTrue();
      checkAcknowledged(engine, acked);
    }
  }

  /**
   * Starts a child, lets it write for {@code millis} after its first acknowledged write, kills it;
   * returns the acks read.
   */
  private int runAndKill(Path folder, String sync, long seed, int millis, Map<String, long[]> acked) throws Exception {
    Path stderr = directory.resolve("child-" + sync + "-" + seed + ".err");
    ChildJvm jvm = ChildJvm.start(CrashChild.class, stderr, "crash-child-stdout", folder.toString(), sync,
        Long.toString(seed));
    Process child = jvm.process();
    BlockingQueue<String> lines = jvm.lines();
    int acks = 0;
    try {
      String ready = lines.poll(60, TimeUnit.SECONDS);
      assertThat(ready).as("the child's first line (stderr: %s)", jvm.stderrTail()).isEqualTo("READY");
      // The kill comes at a random moment under load, so wait for the load to start: a kill
      // before the first write would test nothing.
      long loadDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (acks == 0) {
        long left = TimeUnit.NANOSECONDS.toMillis(loadDeadline - System.nanoTime());
        assertThat(left).as("the child acknowledged a write within 30 s (stderr: %s)", jvm.stderrTail())
            .isPositive();
        String line = lines.poll(left, TimeUnit.MILLISECONDS);
        if (line != null) {
          acks += record(line, acked);
        }
      }
      long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      for (long left = millis; left > 0; left = TimeUnit.NANOSECONDS.toMillis(killAt - System.nanoTime())) {
        String line = lines.poll(left, TimeUnit.MILLISECONDS);
        if (line != null) {
          acks += record(line, acked);
        }
      }
      jvm.kill();
      // Lines printed before the kill were acknowledged writes too: read them to the end.
      for (String line = lines.poll(30, TimeUnit.SECONDS); !ChildJvm.EOF.equals(line);
          line = lines.poll(30, TimeUnit.SECONDS)) {
        assertThat(line).as("the child's output ends").isNotNull();
        acks += record(line, acked);
      }
      return acks;
    } finally {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static int record(String line, Map<String, long[]> acked) {
    assertThat(line).as("the child's output, read to its end").doesNotStartWith(ChildJvm.READ_FAILED);
    if (!line.startsWith("ACK ")) {
      return 0;
    }
    String[] parts = line.split(" ");
    long counter = Long.parseLong(parts[2]);
    long[] previous = acked.get(parts[1]);
    if (previous == null || previous[0] < counter) {
      acked.put(parts[1], new long[] {counter, "T".equals(parts[3]) ? 1 : 0});
    }
    return 1;
  }

  private static void verify(Path folder, String sync, Map<String, long[]> acked) {
    try (LogStorageEngine engine = Fixtures.open(folder, CrashChild.options(sync))) {
      assertThat(engine.stats().corruptRecords()).as("corrupt records after a kill").isZero();
      checkAcknowledged(engine, acked);
      // Every stored record reads back and decodes: a walk over all partitions finds every key.
      long walked = 0;
      for (int p = 0; p < Fixtures.PARTITIONS; p++) {
        long[] count = {0};
        engine.forEachInPartition(p, (key, siblings) -> count[0]++);
        walked += count[0];
      }
      assertThat(walked).isEqualTo(engine.keyCount());
      assertThat(engine.stats().corruptRecords()).isZero();
    }
  }

  private static void checkAcknowledged(LogStorageEngine engine, Map<String, long[]> acked) {
    for (Map.Entry<String, long[]> e : acked.entrySet()) {
      Key key = Key.of("crash", e.getKey());
      int writer = Integer.parseInt(e.getKey().substring(1, e.getKey().indexOf('-')));
      Siblings stored = engine.get(key);
      assertThat(stored.size()).as("%s holds one version (each put supersedes the last)", key).isEqualTo(1);
      Versioned<Bytes> version = stored.versions().get(0);
      assertThat(version.dot().actor()).isEqualTo(CrashChild.actor(writer));
      long ackedCounter = e.getValue()[0];
      assertThat(version.dot().counter()).as("%s: acknowledged version %d or a later one", key, ackedCounter)
          .isGreaterThanOrEqualTo(ackedCounter);
      if (version.dot().counter() == ackedCounter) {
        assertThat(version.tombstone()).as("%s tombstone", key).isEqualTo(e.getValue()[1] == 1);
      }
      if (!version.tombstone()) {
        assertThat(version.value()).as("%s value", key).isEqualTo(CrashChild.value(key, version.dot().counter()));
      }
    }
  }
}
