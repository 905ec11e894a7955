package io.ringkv.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ringkv.api.Bytes;
import io.ringkv.api.Dot;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import io.ringkv.storage.spi.Hint;
import io.ringkv.storage.spi.HintStore;
import io.ringkv.storage.spi.StorageEngine;
import io.ringkv.storage.spi.StorageSettings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The hint store's own rules beyond the contract: recovery, file deletion, folder names, a full disk. */
class LogHintStoreTest {
  private static final NodeId N3 = NodeId.of("n3");
  private static final int NOT_COMPLETE = 0x80000000;

  @TempDir
  Path directory;

  private volatile boolean full;

  private final FileWarmer.Disk disk = new FileWarmer.Disk() {
    @Override
    public FileWarmer.Reserved reserve(Path file, long from, long to) {
      return full ? FileWarmer.Reserved.NO_SPACE : FileWarmer.FILE_SYSTEM.reserve(file, from, to);
    }

    @Override
    public long usableBytes(Path dir) throws IOException {
      return full ? 0 : FileWarmer.FILE_SYSTEM.usableBytes(dir);
    }
  };

  private LogHintStore open(long idleDeleteMillis) {
    Map<String, String> options = LogHintStoreContractTest.optionsFor("none");
    return new LogHintStore(new StorageSettings(directory, Fixtures.PARTITIONER, options), LogOptions.parse(options),
        disk, idleDeleteMillis);
  }

  @Test
  void aTornFinalAppendAndADamagedRecordAreSkippedAtRecoveryWithAWarning() throws IOException {
    List<Hint> hints = new ArrayList<>();
    try (HintStore store = open(0)) {
      for (int i = 1; i <= 6; i++) {
        hints.add(store.append(N3, key(i), versions("v" + i, i), i));
      }
    }
    long[][] records = records(queueOf(N3));
    // What a kill -9 inside the last append leaves: Chronicle's header still says "not complete".
    long[] last = records[records.length - 1];
    int header = readInt(last[0], -4);
    writeInt(last[0], -4, header | NOT_COMPLETE);
    overwrite(last[0], (int) last[1] / 2, new byte[(int) last[1] - (int) last[1] / 2]);
    // And bits flipped inside the third record, whose header is sound.
    overwrite(records[2][0], (int) records[2][1] / 2, new byte[] {0x5A, 0x5A, 0x5A});

    ListAppender<ILoggingEvent> warnings = capture(HintRecovery.class);
    try (HintStore store = open(0)) {
      assertThat(store.oldest(N3, 10)).extracting(Hint::sequence).containsExactly(1L, 2L, 4L, 5L);
      assertThat(store.oldest(N3, 10).get(3).versions()).isEqualTo(hints.get(4).versions());
      assertThat(warnings.list).extracting(ILoggingEvent::getFormattedMessage)
          .anyMatch(m -> m.contains("skipping the damaged hint record for n3"))
          .anyMatch(m -> m.contains("skipping the torn hint record for n3"));
      // The torn append was never acknowledged: its sequence is taken again.
      assertThat(store.append(N3, key(7), versions("after", 7), 7).sequence()).isEqualTo(6);
    } finally {
      release(warnings, HintRecovery.class);
    }
    try (HintStore store = open(0)) {
      assertThat(store.oldest(N3, 10)).extracting(Hint::sequence).containsExactly(1L, 2L, 4L, 5L, 6L);
    }
  }

  @Test
  void aKillInTheMiddleOfARollLosesNothingAndReportsNothingTorn() throws IOException {
    List<Hint> hints;
    try (HintStore store = open(0)) {
      hints = appendMany(store, 200, 1_000); // several files, each closed by Chronicle's end-of-file mark
    }
    // What a kill in the middle of a roll leaves: the newest file closed by Chronicle's end-of-file
    // mark (a metadata header that says "not complete"), the next one without its first header.
    long[][] records = records(queueOf(N3));
    long[] last = records[records.length - 1];
    writeInt(last[0], (int) (((CycleFiles.offset(last[0]) + last[1] + 3) & ~3L) - CycleFiles.offset(last[0])),
        0xC0000000);
    CycleFiles files = queueOf(N3);
    Path cutOff = files.fileOf(files.list().last() + 1);
    Files.write(cutOff, new byte[64 * 1024]);

    ListAppender<ILoggingEvent> warnings = capture(HintRecovery.class);
    try (HintStore store = open(0)) {
      assertThat(cutOff).doesNotExist();
      assertThat(store.oldest(N3, 1_000)).isEqualTo(hints);
      assertThat(warnings.list).as("a roll's end-of-file mark is no torn record").isEmpty();
    } finally {
      release(warnings, HintRecovery.class);
    }
  }

  @Test
  void aWatermarkTornByACrashFallsBackToThePreviousOne() throws IOException {
    try (HintStore store = open(0)) {
      appendMany(store, 10, 10);
      store.release(N3, 3);
      store.release(N3, 6);
    }
    Path watermark = folderOf(N3).resolve(HintFiles.RELEASED);
    byte[] bytes = Files.readAllBytes(watermark);
    assertThat(bytes).hasSize(26);
    int newest = ByteBuffer.wrap(bytes).getLong(1) == 6 ? 0 : 1;
    bytes[newest * 13 + 5] ^= 0x10; // the write of 6 torn
    Files.write(watermark, bytes);
    try (HintStore store = open(0)) {
      assertThat(store.oldest(N3, 100)).extracting(Hint::sequence).as("4 to 6 come back, harmlessly")
          .containsExactly(4L, 5L, 6L, 7L, 8L, 9L, 10L);
      store.release(N3, 8);
    }
    try (HintStore store = open(0)) {
      assertThat(store.oldest(N3, 100)).extracting(Hint::sequence).containsExactly(9L, 10L);
    }
  }

  @Test
  void filesAreDeletedOnceEveryHintInThemIsReleasedAndADrainedQueueTakesNoFile() throws IOException {
    try (LogHintStore store = open(0)) {
      List<Hint> hints = appendMany(store, 300, 1_000); // about 300 KiB: five or more 64 KiB files
      int files = queueOf(N3).list().size();
      assertThat(files).isGreaterThan(4);

      store.release(N3, hints.get(149).sequence());
      assertThat(queueOf(N3).list().size()).as("the files of the first half are gone").isLessThan(files - 1);
      assertThat(store.oldest(N3, 1_000)).hasSize(150);

      store.release(N3, hints.get(299).sequence());
      assertThat(store.targets()).isEmpty();
      assertThat(folderOf(N3).resolve(HintFiles.QUEUE)).doesNotExist();
      assertThat(names(folderOf(N3))).containsExactlyInAnyOrder(HintFiles.TARGET, HintFiles.RELEASED);
      assertThat(store.append(N3, key(1), versions("again", 1), 1).sequence()).isEqualTo(301);
    }
  }

  @Test
  void aDrainedQueueIsDeletedAfterItStayedIdleAndNotWhileItIsUsed() {
    try (LogHintStore store = open(200)) {
      List<Hint> hints = appendMany(store, 20, 100);
      store.release(N3, hints.get(19).sequence());
      Hint next = store.append(N3, key(99), versions("keeps it open", 99), 99);
      store.release(N3, next.sequence() - 1); // nothing new: the append since the drain keeps it
      await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(5))
          .until(() -> Files.exists(folderOf(N3).resolve(HintFiles.QUEUE)));

      store.release(N3, next.sequence());
      await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(folderOf(N3).resolve(HintFiles.QUEUE)));
      assertThat(store.append(N3, key(100), versions("reopened", 100), 100).sequence())
          .isEqualTo(next.sequence() + 1);
    }
  }

  @Test
  void sequencesKeepGrowingAfterEverythingWasReleasedAndTheFilesDeleted() {
    long last;
    try (LogHintStore store = open(0)) {
      List<Hint> hints = appendMany(store, 50, 100);
      last = hints.get(49).sequence();
      store.release(N3, Long.MAX_VALUE);
      assertThat(folderOf(N3).resolve(HintFiles.QUEUE)).doesNotExist();
    }
    try (LogHintStore store = open(0)) {
      assertThat(store.targets()).isEmpty();
      Hint next = store.append(N3, key(1), versions("after a reopen", 1), 1);
      assertThat(next.sequence()).isEqualTo(last + 1);
      store.release(N3, next.sequence());
      last = next.sequence();
    }
    // Drained but not yet deleted (the store closed before its idle wait was over): deleted at open.
    try (LogHintStore store = open(60_000)) {
      last = store.append(N3, key(2), versions("x", 2), 2).sequence();
      store.release(N3, last);
      assertThat(folderOf(N3).resolve(HintFiles.QUEUE)).exists();
    }
    try (LogHintStore store = open(0)) {
      assertThat(folderOf(N3).resolve(HintFiles.QUEUE)).doesNotExist();
      assertThat(store.append(N3, key(3), versions("y", 3), 3).sequence()).isEqualTo(last + 1);
    }
  }

  @Test
  void targetsWhoseIdsSanitizeAlikeOrToAReservedNameKeepApart() {
    NodeId colon = NodeId.of("host:7000");
    NodeId underscore = NodeId.of("host_7000");
    NodeId bracket = NodeId.of("host[7000");
    NodeId lock = NodeId.of("LOCK");
    NodeId dot = NodeId.of(".");
    List<NodeId> targets = List.of(colon, underscore, bracket, lock, dot);
    try (HintStore store = open(0)) {
      for (int i = 0; i < targets.size(); i++) {
        store.append(targets.get(i), key(i), versions("for " + targets.get(i), i + 1), i);
      }
    }
    assertThat(names(directory)).contains("host_7000", "host_7000~2", "host_7000~3", "LOCK~2", ".~2", "LOCK");
    try (HintStore store = open(0)) {
      assertThat(store.targets()).containsExactlyInAnyOrderElementsOf(targets);
      for (int i = 0; i < targets.size(); i++) {
        NodeId target = targets.get(i);
        assertThat(store.oldest(target, 10)).as("%s", target).singleElement().satisfies(h -> {
          assertThat(h.target()).isEqualTo(target);
          assertThat(h.versions()).isEqualTo(versions("for " + target, targets.indexOf(target) + 1));
        });
      }
      store.release(underscore, Long.MAX_VALUE);
      assertThat(store.targets()).doesNotContain(underscore).contains(colon, bracket);
      store.append(NodeId.of("host]7000"), key(9), versions("one more", 9), 9);
    }
    assertThat(names(directory)).contains("host_7000~4");
  }

  @Test
  void aHintIsRefusedWithStorageFullAndNothingKeptWhileTheDiskIsFull() {
    List<Hint> kept = new ArrayList<>();
    try (LogHintStore store = open(0)) {
      full = true;
      assertThatThrownBy(() -> store.append(N3, key(1), versions("first", 1), 1))
          .isInstanceOfSatisfying(RingkvException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_FULL))
          .hasMessageContaining("nothing was stored");
      assertThat(store.targets()).isEmpty();
      assertThat(names(directory)).as("no folder was made for the target").containsOnly(FolderLock.FILE);

      full = false;
      kept.addAll(appendMany(store, 10, 1_000));
      full = true;
      // The appends within what was reserved before still succeed; the first that needs more is refused.
      assertThatThrownBy(() -> {
        for (int i = 0; i < 10_000; i++) {
          kept.add(store.append(N3, key(1_000 + i), versions("z".repeat(1_000), i + 1), i));
        }
      }).isInstanceOfSatisfying(RingkvException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_FULL));
      assertThat(store.oldest(N3, 100_000)).isEqualTo(kept);

      full = false;
      Hint after = store.append(N3, key(-1), versions("space again", 1), 1);
      assertThat(after.sequence()).isEqualTo(kept.get(kept.size() - 1).sequence() + 1);
      kept.add(after);
    }
    try (LogHintStore store = open(0)) {
      assertThat(store.oldest(N3, 100_000)).isEqualTo(kept);
    }
  }

  @Test
  void aHintLargerThanTheStoreTakesIsRefusedWithTooLarge() {
    try (HintStore store = open(0)) {
      Hint small = store.append(N3, key(1), versions("small", 1), 1);
      assertThatThrownBy(() -> store.append(N3, key(2), versions("x".repeat(70_000), 2), 2))
          .isInstanceOfSatisfying(RingkvException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE))
          .hasMessageContaining("block.bytes").hasMessageContaining("nothing was stored");
      assertThat(store.oldest(N3, 10)).containsExactly(small);
    }
  }

  @Test
  void theStoreHasItsOwnFolderLockAndTheEnginesOptions() {
    Map<String, String> options = LogHintStoreContractTest.optionsFor("none");
    StorageSettings engineSettings = new StorageSettings(directory, Fixtures.PARTITIONER, options);
    StorageSettings hintSettings = new StorageSettings(directory.resolve("hints"), Fixtures.PARTITIONER, options);
    try (StorageEngine engine = LogStorageEngines.factory().create(engineSettings);
        HintStore hints = LogStorageEngines.factory().openHints(hintSettings)) {
      hints.append(N3, key(1), versions("v", 1), 1);
      engine.put(key(1), versions("v", 1));
      assertThatThrownBy(() -> LogStorageEngines.openHints(hintSettings))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("in use by another open hint store");
    }
    assertThatThrownBy(() -> LogStorageEngines.openHints(new StorageSettings(directory.resolve("other"),
        Fixtures.PARTITIONER, Map.of("no.such", "1"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no.such");
    // Engine-only options are taken (and unused), as the same map configures both.
    LogStorageEngines.openHints(new StorageSettings(directory.resolve("other"), Fixtures.PARTITIONER,
        Map.of("compaction.threshold", "0.5", "snapshot.interval.records", "10"))).close();
  }

  // ---------------------------------------------------------------- helpers

  private static List<Hint> appendMany(HintStore store, int count, int valueBytes) {
    List<Hint> hints = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      hints.add(store.append(N3, key(i), versions("v".repeat(valueBytes), i + 1), i));
    }
    return hints;
  }

  private Path folderOf(NodeId target) {
    return directory.resolve(HintFiles.sanitize(target));
  }

  private CycleFiles queueOf(NodeId target) {
    return new CycleFiles(folderOf(target).resolve(HintFiles.QUEUE));
  }

  /** Position and length of every record of the queue (the store closed). */
  private static long[][] records(CycleFiles files) throws IOException {
    List<long[]> out = new ArrayList<>();
    try (ChronicleLog log = ChronicleLog.open(files.directory(), LogOptions.parse(
        LogHintStoreContractTest.optionsFor("none")))) {
      log.scan(0, Integer.MAX_VALUE, (position, buffer, length) -> out.add(new long[] {position, length}));
    }
    return out.toArray(long[][]::new);
  }

  private Path fileOf(long position) {
    return queueOf(N3).fileOf(CycleFiles.cycle(position));
  }

  private void overwrite(long position, int at, byte[] bytes) throws IOException {
    try (FileChannel channel = FileChannel.open(fileOf(position), StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(bytes), CycleFiles.offset(position) + at);
    }
  }

  private int readInt(long position, int at) throws IOException {
    try (FileChannel channel = FileChannel.open(fileOf(position), StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
      channel.read(buffer, CycleFiles.offset(position) + at);
      return buffer.getInt(0);
    }
  }

  private void writeInt(long position, int at, int value) throws IOException {
    try (FileChannel channel = FileChannel.open(fileOf(position), StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value),
          CycleFiles.offset(position) + at);
    }
  }

  private static List<String> names(Path folder) {
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.map(p -> p.getFileName().toString()).toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static ListAppender<ILoggingEvent> capture(Class<?> source) {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    ((Logger) LoggerFactory.getLogger(source)).addAppender(appender);
    return appender;
  }

  private static void release(ListAppender<ILoggingEvent> appender, Class<?> source) {
    ((Logger) LoggerFactory.getLogger(source)).detachAppender(appender);
  }

  private static Key key(int i) {
    return Key.of("hints", "k" + i);
  }

  private static Siblings versions(String value, long counter) {
    return Siblings.of(new Versioned<>(Bytes.utf8(value), new Dot(Fixtures.WRITER, counter), VectorClock.empty(),
        1_000 + counter, false));
  }
}
