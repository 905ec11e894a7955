package io.ringkv.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.storage.spi.StorageSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's options: defaults, every key mapped, and refusals that name the option and rule. */
class LogOptionsTest {
  @TempDir
  Path directory;

  @Test
  void defaults() {
    LogOptions options = LogOptions.parse(Map.of());

    assertThat(options).isEqualTo(LogOptions.defaults());
    assertThat(options.sync()).isEqualTo(SyncPolicy.BATCH);
    assertThat(options.batchIntervalMillis()).isEqualTo(2);
    assertThat(options.compactionThreshold()).isEqualTo(0.6);
    assertThat(options.compactionMinBytes()).isEqualTo(64L << 20);
    assertThat(options.snapshotIntervalRecords()).isEqualTo(500_000);
    assertThat(options.fileBytes()).isEqualTo(64L << 20);
    assertThat(options.blockBytes()).isEqualTo(64L << 20);
  }

  @Test
  void theFactoryChecksOptionsWithoutOpeningAnything() {
    LogStorageEngines.factory().checkOptions(Map.of("block.bytes", "1m", "sync", "none"));
    assertThatThrownBy(() -> LogStorageEngines.factory().checkOptions(Map.of("block.bytes", "3")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("block.bytes");
    assertThatThrownBy(() -> LogStorageEngines.factory().checkOptions(Map.of("no.such", "1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no.such");
  }

  @Test
  void everyOptionIsMapped() {
    LogOptions options = LogOptions.parse(Map.of("sync", "ALWAYS", "batch.interval.ms", "7",
        "compaction.threshold", "0.25", "compaction.min.bytes", "3m", "snapshot.interval.records", "1000",
        "file.bytes", "128k", "block.bytes", "1g"));

    assertThat(options).isEqualTo(new LogOptions(SyncPolicy.ALWAYS, 7, 0.25, 3L << 20, 1000, 128L << 10, 1L << 30));
    assertThat(LogOptions.parse(Map.of("sync", " none ")).sync()).isEqualTo(SyncPolicy.NONE);
    assertThat(options.maxRecordBytes()).isEqualTo((1 << 28) - 64);
  }

  @Test
  void anUnknownOptionIsRefusedListingTheKnownOnes() {
    assertThatThrownBy(() -> LogOptions.parse(Map.of("sync.mode", "none")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'sync.mode'")
        .hasMessageContaining("known: batch.interval.ms, block.bytes, compaction.min.bytes, compaction.threshold, "
            + "file.bytes, snapshot.interval.records, sync");
  }

  @Test
  void badValuesAreRefusedNamingTheOptionAndTheRule() {
    assertThatThrownBy(() -> LogOptions.parse(Map.of("sync", "sometimes")))
        .hasMessageContaining("'sync'").hasMessageContaining("none, batch, always");
    assertThatThrownBy(() -> LogOptions.parse(Map.of("batch.interval.ms", "0")))
        .hasMessageContaining("'batch.interval.ms'").hasMessageContaining("[1, 1000]");
    assertThatThrownBy(() -> LogOptions.parse(Map.of("compaction.threshold", "1.5")))
        .hasMessageContaining("'compaction.threshold'").hasMessageContaining("(0, 1]");
    assertThatThrownBy(() -> LogOptions.parse(Map.of("compaction.threshold", "half")))
        .hasMessageContaining("'compaction.threshold'").hasMessageContaining("fraction");
    assertThatThrownBy(() -> LogOptions.parse(Map.of("file.bytes", "12x")))
        .hasMessageContaining("'file.bytes'").hasMessageContaining("k, m or g");
    assertThatThrownBy(() -> LogOptions.parse(Map.of("block.bytes", "300k")))
        .hasMessageContaining("'block.bytes'").hasMessageContaining("power of two");
    assertThatThrownBy(() -> LogOptions.parse(Map.of("snapshot.interval.records", "-1")))
        .hasMessageContaining("'snapshot.interval.records'");
  }

  @Test
  void theFactoryIsNamedLogAndRefusesBadOptionsBeforeTouchingTheFolder() {
    assertThat(LogStorageEngines.factory().name()).isEqualTo("log");
    Path folder = directory.resolve("never-created");

    assertThatThrownBy(() -> LogStorageEngines.factory().create(
        new StorageSettings(folder, Fixtures.PARTITIONER, Map.of("colour", "blue"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'colour'");
    assertThat(folder).doesNotExist();
    assertThatThrownBy(() -> LogStorageEngines.open(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
