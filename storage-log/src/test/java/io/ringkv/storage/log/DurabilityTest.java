package io.ringkv.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Durability}: an append waits for its durability after letting go of the append lock, so
 * its file may be deleted meanwhile (a hint queue's file once a release covers it, the watermark
 * forced first; an engine's file once a compaction forced the copies of its live records). That
 * append stored its record all the same: its wait must not fail it.
 */
class DurabilityTest {
  @TempDir
  Path directory;

  @ParameterizedTest
  @EnumSource(SyncPolicy.class)
  void aRecordWhoseFileWasDeletedBeforeItsWaitHasNothingLeftToForce(SyncPolicy sync) throws Exception {
    LogOptions options = LogOptions.parse(Fixtures.smallFiles("sync", sync.name().toLowerCase(java.util.Locale.ROOT)));
    try (ChronicleLog log = ChronicleLog.open(directory, options, FileWarmer.FILE_SYSTEM, false)) {
      log.startWriting(log.activeCycle(), 0);
      long first = log.append(new byte[100], position -> { });
      log.rollNow();
      long second = log.append(new byte[100], position -> { });
      try (Durability durability = Durability.of(sync, log.files(), log, options.batchIntervalMillis())) {
        log.delete(List.of(CycleFiles.cycle(first)));
        assertThat(log.files().list()).doesNotContain(CycleFiles.cycle(first));

        assertThatCode(() -> durability.awaitDurable(first)).doesNotThrowAnyException();
        assertThatCode(() -> durability.awaitDurable(second)).doesNotThrowAnyException();
        assertThat(durability.whenDurable(first)).succeedsWithin(Duration.ofSeconds(30));
        assertThat(durability.whenDurable(second)).succeedsWithin(Duration.ofSeconds(30));
      }
    }
  }

  /**
   * {@code sync=batch} without a waiting thread: the future completes once the group fsync covers
   * the record; one still pending when the log closes completes too (closing forces what is
   * pending), and one asked for after the sync thread stopped fails instead of hanging.
   */
  @Test
  void batchDurabilityCompletesItsFuturesWithoutAWaitingThread() throws Exception {
    LogOptions options = LogOptions.parse(Fixtures.smallFiles("sync", "batch", "batch.interval.ms", "1000"));
    try (ChronicleLog log = ChronicleLog.open(directory, options, FileWarmer.FILE_SYSTEM, false)) {
      log.startWriting(log.activeCycle(), 0);
      Durability durability = Durability.of(SyncPolicy.BATCH, log.files(), log, options.batchIntervalMillis());
      long first = log.append(new byte[100], position -> { });
      assertThat(durability.whenDurable(first)).succeedsWithin(Duration.ofSeconds(30));
      assertThat(durability.whenDurable(first)).as("already covered").isCompleted();

      long second = log.append(new byte[100], position -> { });
      CompletableFuture<Void> pending = durability.whenDurable(second);
      assertThat(pending).as("not before the next fsync, a second after the first").isNotDone();
      durability.close();
      assertThat(pending).succeedsWithin(Duration.ofSeconds(30));

      long third = log.append(new byte[100], position -> { });
      assertThat(durability.whenDurable(third)).failsWithin(Duration.ofSeconds(30))
          .withThrowableOfType(ExecutionException.class).havingCause()
          .withMessageContaining("closed before this write was forced");
    }
  }

  /**
   * {@code sync=batch}: a writer that asks while the sync thread waits out the interval since the
   * last fsync does not wake it (the thread sleeps on), and is covered by the fsync at the
   * interval's end all the same; one that asks when the thread is idle wakes it. Nothing here
   * closes the log before the futures complete.
   */
  @Test
  void writesAskedForDuringTheIntervalAreForcedAtItsEndWithoutAWakeUp() throws Exception {
    LogOptions options = LogOptions.parse(Fixtures.smallFiles("sync", "batch", "batch.interval.ms", "200"));
    try (ChronicleLog log = ChronicleLog.open(directory, options, FileWarmer.FILE_SYSTEM, false)) {
      log.startWriting(log.activeCycle(), 0);
      try (Durability durability = Durability.of(SyncPolicy.BATCH, log.files(), log, options.batchIntervalMillis())) {
        long first = log.append(new byte[100], position -> { });
        assertThat(durability.whenDurable(first)).succeedsWithin(Duration.ofSeconds(30));

        long second = log.append(new byte[100], position -> { }); // wakes the idle thread
        CompletableFuture<Void> afterIdle = durability.whenDurable(second);
        long third = log.append(new byte[100], position -> { }); // asks during the interval
        CompletableFuture<Void> duringInterval = durability.whenDurable(third);
        assertThat(afterIdle).succeedsWithin(Duration.ofSeconds(30));
        assertThat(duringInterval).succeedsWithin(Duration.ofSeconds(30));

        long fourth = log.append(new byte[100], position -> { });
        assertThatCode(() -> durability.awaitDurable(fourth)).doesNotThrowAnyException();
        assertThat(durability.whenDurable(fourth)).as("already covered").isCompleted();
      }
    }
  }
}
