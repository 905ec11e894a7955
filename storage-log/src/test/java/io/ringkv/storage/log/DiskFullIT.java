package io.ringkv.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ringkv.api.Bytes;
import io.ringkv.api.Dot;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.Key;
import io.ringkv.api.RingkvException;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine on a real file system that fills up: a 40 MiB tmpfs mounted for the test (skipped
 * where this process may not mount one). Chronicle writes through memory maps, where a full file
 * system means SIGBUS, not an exception; the engine must refuse the write first, lose nothing it
 * acknowledged, keep serving reads and take writes again once space is freed.
 */
class DiskFullIT {
  private static final int VALUE_BYTES = 1000;

  @TempDir
  Path scratch;
  private Path mount;
  private boolean mounted;

  @ParameterizedTest(name = "file.bytes={0}")
  @ValueSource(strings = {"64m", "4m"}) // the disk fills inside a file; the disk fills at a roll
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aFullDiskRefusesWritesCleanlyAndLosesNothing(String fileBytes) throws Exception {
    Path ballast = mountWithBallast(10 << 20);
    Path data = mount.resolve("data");
    Map<String, String> options = Fixtures.smallFiles("file.bytes", fileBytes, "block.bytes", "1m");

    int acked = 0;
    try (LogStorageEngine engine = Fixtures.open(data, options)) {
      RingkvException refused = null;
      for (int i = 0; i < 100_000 && refused == null; i++) {
        try {
          engine.put(key(i), value(i));
          acked++;
        } catch (RingkvException e) {
          refused = e;
        } catch (Throwable t) {
          fail("a full disk must be refused with STORAGE_FULL, after %d puts it was: %s", acked, t);
        }
      }
      assertThat(refused).as("the disk filled up").isNotNull();
      assertThat(refused.code()).isEqualTo(ErrorCode.STORAGE_FULL);
      assertThat(acked).as("most of the disk was used first").isGreaterThan(15_000);
      assertThat(engine.get(key(0))).isEqualTo(value(0));
      assertThat(engine.get(key(acked - 1))).isEqualTo(value(acked - 1));
      assertThat(engine.get(key(acked))).as("the refused put stored nothing").isEqualTo(Siblings.empty());

      Files.delete(ballast);
      for (int i = acked; i < acked + 2000; i++) {
        engine.put(key(i), value(i));
      }
      acked += 2000;
    }
    assertThat(data.resolve("index.snapshot.tmp")).as("no half-written snapshot is left").doesNotExist();

    try (LogStorageEngine engine = Fixtures.open(data, options)) {
      assertThat(engine.keyCount()).isEqualTo(acked);
      for (int i = 0; i < acked; i++) {
        assertThat(engine.get(key(i))).as("key %d", i).isEqualTo(value(i));
      }
      assertThat(engine.stats().corruptRecords()).isZero();
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aLargeFirstRecordOnANearlyFullDiskIsRefusedCleanly() throws Exception {
    Path ballast = mountWithBallast(30 << 20);
    Path data = mount.resolve("data");
    Map<String, String> options = Fixtures.smallFiles("file.bytes", "64m", "block.bytes", "64m");
    // 12 MiB: more than the ~10 MiB left.
    Siblings large = Siblings.of(new Versioned<>(Bytes.of(new byte[12 << 20]), new Dot(Fixtures.WRITER, 1),
        VectorClock.empty(), 1, false));

    try (LogStorageEngine engine = Fixtures.open(data, options)) {
      refusedAsFull(engine, large); // as the first record: no file is started
      engine.put(key(1), value(1));
      refusedAsFull(engine, large); // into the file now open: its blocks cannot be reserved
      assertThat(engine.get(key(0))).isEqualTo(Siblings.empty());
      assertThat(engine.get(key(1))).isEqualTo(value(1));

      Files.delete(ballast);
      engine.put(key(0), large);
    }
    try (LogStorageEngine engine = Fixtures.open(data, options)) {
      assertThat(engine.get(key(0))).isEqualTo(large);
      assertThat(engine.get(key(1))).isEqualTo(value(1));
      assertThat(engine.stats().corruptRecords()).isZero();
    }
  }

  /**
   * Mounts the 40 MiB tmpfs (or skips the test) and fills {@code bytes} of it with a file whose
   * deletion frees that space again.
   */
  private Path mountWithBallast(int bytes) throws IOException, InterruptedException {
    mount = scratch.resolve("small");
    Files.createDirectories(mount);
    mounted = run("mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", mount.toString()) == 0;
    assumeTrue(mounted, "cannot mount a tmpfs here (needs root)");
    Path ballast = mount.resolve("ballast");
    Files.write(ballast, new byte[bytes]);
    return ballast;
  }

  private static void refusedAsFull(LogStorageEngine engine, Siblings large) {
    try {
      engine.put(key(0), large);
      fail("a 12 MiB record fitted in about 10 MiB");
    } catch (RingkvException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_FULL);
    } catch (Throwable t) {
      fail("a full disk must be refused with STORAGE_FULL, it was: " + t, t);
    }
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted && run("umount", mount.toString()) != 0) {
      run("umount", "-l", mount.toString());
    }
  }

  private static Key key(int i) {
    return Key.of("full", "k" + i);
  }

  private static Siblings value(int i) {
    byte[] bytes = new byte[VALUE_BYTES];
    byte[] name = ("value-" + i).getBytes(StandardCharsets.UTF_8);
    System.arraycopy(name, 0, bytes, 0, name.length);
    return Siblings.of(new Versioned<>(Bytes.of(bytes), new Dot(Fixtures.WRITER, 1), VectorClock.empty(), 1, false));
  }

  /** Runs a command; its exit code, or -1 when it cannot be started (not installed) or hangs. */
  private static int run(String... command) throws InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder(List.of(command)).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      return -1;
    }
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      return -1;
    }
    return process.exitValue();
  }
}
