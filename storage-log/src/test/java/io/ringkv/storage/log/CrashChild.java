package io.ringkv.storage.log;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Dot;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;
import io.ringkv.api.Versioned;
import io.ringkv.storage.spi.StorageEngine;
import io.ringkv.storage.spi.StorageSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * The process {@link CrashIT} kills: opens the engine over a folder (recovering what the previous
 * child left), then writes until killed. Each writer thread owns its keys; every put is a new
 * version that supersedes the key's stored one. A line {@code ACK <key> <counter> <L|T>} is printed
 * only after the put returned, i.e. was acknowledged.
 *
 * <p>Arguments: folder, sync mode, seed.
 */
public final class CrashChild {
  static final int WRITERS = 3;
  static final int KEYS_PER_WRITER = 40;

  private CrashChild() {
  }

  public static void main(String[] args) throws Exception {
    Path directory = Path.of(args[0]);
    String sync = args[1];
    long seed = Long.parseLong(args[2]);
    PrintStream out = System.out;
    StorageEngine engine = LogStorageEngines.open(new StorageSettings(directory, Fixtures.PARTITIONER, options(sync)));
    out.println("READY");
    out.flush();
    for (int w = 0; w < WRITERS; w++) {
      int writer = w;
      Thread thread = new Thread(() -> write(engine, writer, new Random(seed * 31 + writer), out), "writer-" + w);
      thread.start();
    }
    // The writers run until the parent kills this process.
  }

  static Map<String, String> options(String sync) {
    return Map.of("sync", sync, "file.bytes", "256k", "block.bytes", "1m", "snapshot.interval.records", "1500",
        "compaction.min.bytes", "0");
  }

  static Key key(int writer, int k) {
    return Key.of("crash", "w" + writer + "-k" + k);
  }

  static Actor actor(int writer) {
    return new Actor(NodeId.of("writer-" + writer), 1);
  }

  /** The value of version {@code counter} of a key: its name, the counter and some filler. */
  static Bytes value(Key key, long counter) {
    return Bytes.utf8(key.key() + ":" + counter + ":" + "z".repeat((int) (counter % 700)));
  }

  private static void write(StorageEngine engine, int writer, Random random, PrintStream out) {
    Actor actor = actor(writer);
    while (true) {
      Key key = key(writer, random.nextInt(KEYS_PER_WRITER));
      Siblings stored = engine.get(key);
      long counter = stored.versions().stream().filter(v -> v.dot().actor().equals(actor))
          .mapToLong(v -> v.dot().counter()).max().orElse(0) + 1;
      boolean tombstone = random.nextInt(10) == 0;
      Versioned<Bytes> version = new Versioned<>(tombstone ? Bytes.EMPTY : value(key, counter), new Dot(actor, counter),
          stored.clock(), System.currentTimeMillis(), tombstone);
      engine.put(key, Siblings.of(version));
      synchronized (out) {
        out.println("ACK " + key.key() + " " + counter + " " + (tombstone ? "T" : "L"));
        out.flush();
      }
    }
  }
}
