package io.ringkv.storage.log;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Dot;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import io.ringkv.storage.spi.Hint;
import io.ringkv.storage.spi.HintStore;
import io.ringkv.storage.spi.StorageSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The process {@link HintStoreCrashIT} kills: opens the hint store over a folder (recovering what
 * the previous child left), then appends hints from {@link #WRITERS} threads and releases some
 * from another, until killed. A line {@code ACK <target> <sequence> <writer> <counter>} is printed
 * only after {@code append} returned; {@code RELEASING <target> <upTo>} is printed before a
 * release starts, so the parent knows which hints may be gone.
 *
 * <p>Arguments: folder, sync mode, seed.
 */
public final class HintCrashChild {
  static final int WRITERS = 3;
  static final List<NodeId> TARGETS = List.of(NodeId.of("node:7001"), NodeId.of("node-2"));

  private HintCrashChild() {
  }

  public static void main(String[] args) throws Exception {
    Path directory = Path.of(args[0]);
    String sync = args[1];
    long seed = Long.parseLong(args[2]);
    PrintStream out = System.out;
    HintStore store = LogStorageEngines.openHints(new StorageSettings(directory, Fixtures.PARTITIONER, options(sync)));
    long[] counters = new long[WRITERS];
    for (int w = 0; w < WRITERS; w++) {
      counters[w] = highestCounter(store, w);
    }
    out.println("READY");
    out.flush();
    for (int w = 0; w < WRITERS; w++) {
      int writer = w;
      long from = counters[w];
      new Thread(() -> write(store, writer, from, new Random(seed * 31 + writer), out), "writer-" + w).start();
    }
    releaseSome(store, new Random(seed * 17), out);
    // The threads run until the parent kills this process.
  }

  static Map<String, String> options(String sync) {
    return Map.of("sync", sync, "file.bytes", "64k", "block.bytes", "256k");
  }

  static Key key(int writer, long counter) {
    return Key.of("crash", "w" + writer + "-" + counter);
  }

  /** The versions of a writer's {@code counter}-th hint: one version whose value names it, with some filler. */
  static Siblings versions(int writer, long counter) {
    Actor actor = new Actor(NodeId.of("writer-" + writer), 1);
    Bytes value = Bytes.utf8(key(writer, counter).key() + ":" + "z".repeat((int) (counter * 37 % 600)));
    return Siblings.of(new Versioned<>(value, new Dot(actor, counter), VectorClock.empty(), counter, false));
  }

  /** The writer's highest counter among the pending hints, so a new child's keys are new. */
  private static long highestCounter(HintStore store, int writer) {
    long highest = 0;
    for (NodeId target : TARGETS) {
      for (Hint hint : store.oldest(target, Integer.MAX_VALUE)) {
        if (hint.key().key().startsWith("w" + writer + "-")) {
          highest = Math.max(highest, Long.parseLong(hint.key().key().substring(hint.key().key().indexOf('-') + 1)));
        }
      }
    }
    return highest + 1_000_000; // past any released one as well: a kill may have lost what showed them
  }

  private static void write(HintStore store, int writer, long from, Random random, PrintStream out) {
    for (long counter = from + 1; ; counter++) {
      NodeId target = TARGETS.get(random.nextInt(TARGETS.size()));
      Hint hint = store.append(target, key(writer, counter), versions(writer, counter), counter);
      synchronized (out) {
        out.println("ACK " + target + " " + hint.sequence() + " " + writer + " " + counter);
        out.flush();
      }
    }
  }

  /**
   * Every few milliseconds (5 to 24, at random), releases a target's oldest hints, up to a random
   * one of them: one round on a scheduler, the next scheduled when it is done, until the kill.
   */
  private static void releaseSome(HintStore store, Random random, PrintStream out) {
    ScheduledExecutorService releaser = Executors.newSingleThreadScheduledExecutor();
    releaser.schedule(new Runnable() {
      @Override
      public void run() {
        NodeId target = TARGETS.get(random.nextInt(TARGETS.size()));
        List<Hint> oldest = store.oldest(target, 200);
        if (!oldest.isEmpty()) {
          long upTo = oldest.get(random.nextInt(oldest.size())).sequence();
          synchronized (out) {
            out.println("RELEASING " + target + " " + upTo);
            out.flush();
          }
          store.release(target, upTo);
        }
        releaser.schedule(this, 5 + random.nextInt(20), TimeUnit.MILLISECONDS);
      }
    }, 0, TimeUnit.MILLISECONDS);
  }
}
