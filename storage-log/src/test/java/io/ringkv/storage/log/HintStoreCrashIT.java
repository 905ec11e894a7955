package io.ringkv.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.NodeId;
import io.ringkv.storage.spi.Hint;
import io.ringkv.storage.spi.HintStore;
import io.ringkv.storage.spi.StorageSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs the hint store in a child JVM ({@link HintCrashChild}) under appends and releases, kills it
 * with SIGKILL ({@link ChildJvm#kill()}) at seeded random moments, and after every kill
 * opens the folder and checks that every acknowledged hint no release could have covered is there
 * with its exact key and versions, that every hint there is one the child made, and that
 * sequences went on growing. With {@code none} the hints sit in the page cache, which a killed
 * process does not lose either.
 *
 * <p>"No release could have covered" is judged from every {@code RELEASING} line the child printed,
 * so the child's output must be read to its very end: a release the test did not see makes the
 * hints it legitimately dropped look lost. Before the store is opened, each target's watermark is
 * checked against the releases read: it may never be above them.
 */
class HintStoreCrashIT {
  private static final long SEED = 20261201L;

  @TempDir
  Path directory;

  /** What the children acknowledged, over all rounds. */
  private final Map<NodeId, Map<Long, long[]>> acked = new HashMap<>(); // target -> sequence -> {writer, counter}
  private final Map<NodeId, Long> releasing = new HashMap<>();

  @ParameterizedTest(name = "sync={0}, {1} rounds")
  @CsvSource({"batch, 3", "always, 2", "none, 2"})
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void everyAcknowledgedUnreleasedHintSurvivesKillMinus9(String sync, int rounds) throws Exception {
    Random random = new Random(SEED + sync.hashCode());
    Path folder = directory.resolve(sync);
    long[] highest = new long[HintCrashChild.TARGETS.size()];
    for (int round = 1; round <= rounds; round++) {
      int millis = 100 + random.nextInt(600);
      int acks = runAndKill(folder, sync, random.nextLong(), millis, highest);
      System.out.printf("hints sync=%s round %d: killed %d ms into the load, %d acknowledged hints%n", sync, round,
          millis, acks);
      assertThat(acks).as("round %d acknowledged hints", round).isPositive();
      verify(folder, sync, highest);
    }
    assertThat(releasing).as("targets the children released hints of, over %d rounds", rounds)
        .isNotEmpty();
  }

  /**
   * Starts a child, lets it run for {@code millis} after its first acknowledged hint, kills it;
   * returns the acks read. The child's sequences must all lie above {@code highest} (per target,
   * updated): sequences keep growing across restarts.
   */
  private int runAndKill(Path folder, String sync, long seed, int millis, long[] highest) throws Exception {
    Path stderr = directory.resolve("child-" + sync + "-" + seed + ".err");
    ChildJvm jvm = ChildJvm.start(HintCrashChild.class, stderr, "hint-crash-child-stdout", folder.toString(), sync,
        Long.toString(seed));
    Process child = jvm.process();
    BlockingQueue<String> lines = jvm.lines();
    long[] before = highest.clone();
    int acks = 0;
    try {
      String ready = lines.poll(60, TimeUnit.SECONDS);
      assertThat(ready).as("the child's first line (stderr: %s)", jvm.stderrTail()).isEqualTo("READY");
      long loadDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (acks == 0) {
        long left = TimeUnit.NANOSECONDS.toMillis(loadDeadline - System.nanoTime());
        assertThat(left).as("the child acknowledged a hint within 30 s (stderr: %s)", jvm.stderrTail()).isPositive();
        String line = lines.poll(left, TimeUnit.MILLISECONDS);
        if (line != null) {
          acks += record(line, before, highest);
        }
      }
      long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      for (long left = millis; left > 0; left = TimeUnit.NANOSECONDS.toMillis(killAt - System.nanoTime())) {
        String line = lines.poll(left, TimeUnit.MILLISECONDS);
        if (line != null) {
          acks += record(line, before, highest);
        }
      }
      jvm.kill();
      // Lines printed before the kill were acknowledged hints and announced releases too: read them to the end.
      for (String line = lines.poll(30, TimeUnit.SECONDS); !ChildJvm.EOF.equals(line);
          line = lines.poll(30, TimeUnit.SECONDS)) {
        assertThat(line).as("the child's output ends").isNotNull();
        acks += record(line, before, highest);
      }
      checkWatermarks(folder);
      return acks;
    } finally {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private int record(String line, long[] before, long[] highest) {
    assertThat(line).as("the child's output, read to its end").doesNotStartWith(ChildJvm.READ_FAILED);
    String[] parts = line.split(" ");
    NodeId target = parts.length > 1 ? NodeId.of(parts[1]) : null;
    if (line.startsWith("RELEASING ")) {
      releasing.merge(target, Long.parseLong(parts[2]), Math::max);
      return 0;
    }
    if (!line.startsWith("ACK ")) {
      return 0;
    }
    long sequence = Long.parseLong(parts[2]);
    int t = HintCrashChild.TARGETS.indexOf(target);
    assertThat(sequence).as("a sequence of %s after a restart", target).isGreaterThan(before[t]);
    highest[t] = Math.max(highest[t], sequence);
    long[] previous = acked.computeIfAbsent(target, x -> new HashMap<>())
        .put(sequence, new long[] {Long.parseLong(parts[3]), Long.parseLong(parts[4])});
    assertThat(previous).as("sequence %d of %s acknowledged twice", sequence, target).isNull();
    return 1;
  }

  /**
   * Checks, before the store is opened, that no target's watermark is above the highest release
   * the children announced: the store never releases more than it was asked to, so a watermark
   * above them means the test missed some of the child's output (and would take the hints those
   * releases dropped for lost ones).
   */
  private void checkWatermarks(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return;
    }
    try (Stream<Path> entries = Files.list(folder)) {
      for (Path targetFolder : entries.filter(Files::isDirectory).toList()) {
        NodeId target = HintFiles.readTarget(targetFolder);
        if (target != null) {
          assertThat(HintFiles.readReleased(targetFolder))
              .as("the watermark of %s, against the releases the child announced", target)
              .isLessThanOrEqualTo(releasing.getOrDefault(target, 0L));
        }
      }
    }
  }

  /** Checks the folder after a kill; {@code highest} goes up to the highest sequence there. */
  private void verify(Path folder, String sync, long[] highest) {
    StorageSettings settings = new StorageSettings(folder, Fixtures.PARTITIONER, HintCrashChild.options(sync));
    try (HintStore store = LogStorageEngines.openHints(settings)) {
      for (NodeId target : HintCrashChild.TARGETS) {
        Map<Long, Hint> present = new HashMap<>();
        List<Hint> hints = store.oldest(target, Integer.MAX_VALUE);
        assertThat(hints).extracting(Hint::sequence).isSorted().doesNotHaveDuplicates();
        hints.forEach(h -> present.put(h.sequence(), h));
        int t = HintCrashChild.TARGETS.indexOf(target);
        hints.forEach(h -> highest[t] = Math.max(highest[t], h.sequence()));
        assertThat(store.backlog(target).hints()).isEqualTo(hints.size());
        for (Hint hint : hints) {
          // Every hint there is one a child made (acknowledged or not yet), intact.
          String name = hint.key().key();
          int writer = Integer.parseInt(name.substring(1, name.indexOf('-')));
          long counter = Long.parseLong(name.substring(name.indexOf('-') + 1));
          assertThat(hint.versions()).as("%s of %s", name, target).isEqualTo(HintCrashChild.versions(writer, counter));
        }
        long mayBeReleased = releasing.getOrDefault(target, 0L);
        acked.getOrDefault(target, Map.of()).forEach((sequence, made) -> {
          if (sequence > mayBeReleased) {
            Hint hint = present.get(sequence);
            assertThat(hint).as("acknowledged, unreleased hint %d of %s", sequence, target).isNotNull();
            assertThat(hint.key()).isEqualTo(HintCrashChild.key((int) made[0], made[1]));
            assertThat(hint.versions()).isEqualTo(HintCrashChild.versions((int) made[0], made[1]));
          }
        });
      }
    }
  }
}
