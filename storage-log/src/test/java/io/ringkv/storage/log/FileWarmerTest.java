package io.ringkv.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.MappedBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The warmer works on the very mapping the appender writes through, on another thread, so the one
 * thing it must never do is change a byte: not of what was written before it ran, not of what is
 * written while it runs, not of what it lets go of behind the writer.
 */
class FileWarmerTest {
  private static final int RECORD = 1000; // not a divisor of the page size, so records straddle pages
  private static final long CHUNK = 1 << 20;
  private static final long WARM_AHEAD = 256 * 1024;
  private static final long RELEASE_MARGIN = 16 * 1024;

  @TempDir
  Path dir;

  @ParameterizedTest(name = "madvise available: {0}")
  @ValueSource(booleans = {true, false})
  void writesAroundTheWarmerLandWhole(boolean madvise) throws Exception {
    CycleFiles files = new CycleFiles(dir);
    Path file = files.fileOf(1);
    byte[] written = new byte[(int) (3 * CHUNK + CHUNK / 3)]; // spans several of Chronicle's chunks
    new Random(7).nextBytes(written);
    try (FileWarmer warmer = new FileWarmer(files, FileWarmer.FILE_SYSTEM, madvise)) {
      MappedBytes bytes = MappedBytes.mappedBytes(file.toFile(), CHUNK);
      try {
        long warmedTo = 0;
        long releasedTo = 0;
        for (int offset = 0; offset < written.length; offset += RECORD) {
          int length = Math.min(RECORD, written.length - offset);
          bytes.writePosition(offset);
          bytes.write(written, offset, length);
          long end = offset + length;
          if (end + WARM_AHEAD / 2 > warmedTo) {
            // What the log does: warm ahead of the writer, let go of what lies well behind it.
            long release = Math.max(releasedTo, end - RELEASE_MARGIN);
            warmer.warm(1, Math.max(warmedTo, end), end + WARM_AHEAD, bytes.bytesStore(), releasedTo, release);
            warmedTo = end + WARM_AHEAD;
            releasedTo = release;
          }
        }
        assertThat(warmer.awaitQueued(30_000)).as("the warmer finishes its work").isTrue();

        byte[] mapped = new byte[written.length];
        bytes.readPosition(0);
        bytes.read(mapped);
        assertThat(Arrays.equals(mapped, written)).as("read back through the writer's mapping").isTrue();
      } finally {
        bytes.releaseLast();
      }
    }
    byte[] onDisk = Arrays.copyOf(Files.readAllBytes(file), written.length);
    assertThat(Arrays.equals(onDisk, written)).as("read back from the file").isTrue();
  }

  @ParameterizedTest(name = "madvise available: {0}")
  @ValueSource(booleans = {true, false})
  void warmingLeavesUnwrittenPagesZeroAndHoldsNoReservation(boolean madvise) throws Exception {
    CycleFiles files = new CycleFiles(dir);
    Path file = files.fileOf(1);
    try (FileWarmer warmer = new FileWarmer(files, FileWarmer.FILE_SYSTEM, madvise)) {
      MappedBytes bytes = MappedBytes.mappedBytes(file.toFile(), CHUNK);
      try {
        bytes.writeLong(0, 0x0123_4567_89ab_cdefL);
        BytesStore<?, ?> store = bytes.bytesStore();
        int references = store.refCount();

        warmer.warm(1, 8, CHUNK, store, 0, 0);
        assertThat(warmer.awaitQueued(30_000)).isTrue();

        assertThat(store.refCount()).as("the warmer released the store it reserved").isEqualTo(references);
        assertThat(bytes.readLong(0)).isEqualTo(0x0123_4567_89ab_cdefL);
        for (long page = 4096; page < CHUNK; page += 4096) {
          assertThat(bytes.readLong(page)).as("page at %d", page).isZero();
        }
      } finally {
        bytes.releaseLast();
      }
    }
  }

  @Test
  void aWarmerThatIsClosedIgnoresRequestsAndReleasesWhatItReserved() throws Exception {
    CycleFiles files = new CycleFiles(dir);
    Path file = files.fileOf(1);
    FileWarmer warmer = new FileWarmer(files);
    warmer.close();
    MappedBytes bytes = MappedBytes.mappedBytes(file.toFile(), CHUNK);
    try {
      bytes.writeLong(0, 42);
      BytesStore<?, ?> store = bytes.bytesStore();
      int references = store.refCount();

      warmer.warm(1, 0, CHUNK, store, 0, 0);

      assertThat(store.refCount()).isEqualTo(references);
      assertThat(warmer.awaitQueued(1_000)).isFalse();
      assertThat(bytes.readLong(0)).isEqualTo(42);
    } finally {
      bytes.releaseLast();
    }
  }

  @Test
  void aReservationThatFailedLeavesAHoleTheAppenderStillChecks() throws Exception {
    CycleFiles files = new CycleFiles(dir);
    Files.write(files.fileOf(1), new byte[4096]);
    long mib = 1 << 20;
    boolean[] full = {false};
    FileWarmer.Disk disk = new FileWarmer.Disk() {
      @Override
      public FileWarmer.Reserved reserve(Path file, long from, long to) {
        return full[0] ? FileWarmer.Reserved.NO_SPACE : FileWarmer.FILE_SYSTEM.reserve(file, from, to);
      }

      @Override
      public long usableBytes(Path directory) {
        return full[0] ? 0 : Long.MAX_VALUE;
      }
    };
    try (FileWarmer warmer = new FileWarmer(files, disk, true)) {
      assertThat(warmer.reserved(1, 0, 64 * 1024)).isEqualTo(FileWarmer.Reserved.DONE); // and 2 MiB more
      full[0] = true;
      warmer.warm(1, 3 * mib, 8 * mib, null, 0, 0); // fails: the disk is full
      assertThat(warmer.awaitQueued(30_000)).isTrue();
      full[0] = false;
      warmer.warm(1, 8 * mib, 16 * mib, null, 0, 0); // succeeds, past the hole
      assertThat(warmer.awaitQueued(30_000)).isTrue();

      full[0] = true;
      assertThat(warmer.reserved(1, 4 * mib, 5 * mib)).as("inside the hole: not reserved")
          .isEqualTo(FileWarmer.Reserved.NO_SPACE);
      assertThat(warmer.reserved(1, 0, mib)).as("below it: reserved before").isEqualTo(FileWarmer.Reserved.DONE);
    }
  }

  @Test
  void aFileDeletedBeforeTheWarmerGetsToItIsSkipped() throws Exception {
    CycleFiles files = new CycleFiles(dir);
    try (FileWarmer warmer = new FileWarmer(files)) {
      warmer.warm(1, 0, CHUNK, null, 0, 0); // no such file: compacted away before the task ran
      assertThat(warmer.awaitQueued(30_000)).isTrue();
      assertThat(Files.exists(files.fileOf(1))).isFalse();
    }
  }
}
