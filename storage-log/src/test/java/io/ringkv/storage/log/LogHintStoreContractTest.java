package io.ringkv.storage.log;

import io.ringkv.storage.spi.HintStore;
import io.ringkv.storage.spi.StorageSettings;
import io.ringkv.testkit.storage.HintStoreContractTest;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hint store contract, durability tests included, for each {@code sync} mode, and once more
 * with drained queues deleted at once rather than after an idle while. Small files (64 KiB) make
 * the suite's hints span several files, so releases delete some.
 *
 * <p>A crash is simulated by copying the store's folder while the store is still open: the copy
 * reads the files through the page cache, which holds exactly what a process killed at that moment
 * ({@code kill -9}) leaves behind, Chronicle's memory-mapped writes included; the new store opens on
 * the copy. Abandoning the old store and opening a second one on the same folder is not possible
 * (and would not be realistic): the folder lock refuses it, and both would share the page cache of
 * one live process. The old store is closed after the copy, which cannot change the copy.
 * {@link HintStoreCrashIT} kills a real process.
 */
class LogHintStoreContractTest extends HintStoreContractTest {
  @TempDir
  Path crashCopies;

  @Override
  protected HintStore createStore(StorageSettings settings) {
    return LogStorageEngines.factory().openHints(settings);
  }

  @Override
  protected HintStore reopen(HintStore old, StorageSettings settings) {
    return closeAndOpen(old, settings, this::createStore);
  }

  @Override
  protected HintStore crashAndReopen(HintStore old, StorageSettings settings) {
    return crashAndOpen(old, settings, crashCopies, this::createStore);
  }

  @Override
  protected Map<String, String> options() {
    return optionsFor("batch");
  }

  @Nested
  class SyncNone extends HintStoreContractTest {
    @TempDir
    Path crashCopies;

    @Override
    protected HintStore createStore(StorageSettings settings) {
      return LogStorageEngines.factory().openHints(settings);
    }

    @Override
    protected HintStore reopen(HintStore old, StorageSettings settings) {
      return closeAndOpen(old, settings, this::createStore);
    }

    @Override
    protected HintStore crashAndReopen(HintStore old, StorageSettings settings) {
      return crashAndOpen(old, settings, crashCopies, this::createStore);
    }

    @Override
    protected Map<String, String> options() {
      return optionsFor("none");
    }
  }

  @Nested
  class SyncAlways extends HintStoreContractTest {
    @TempDir
    Path crashCopies;

    @Override
    protected HintStore createStore(StorageSettings settings) {
      return LogStorageEngines.factory().openHints(settings);
    }

    @Override
    protected HintStore reopen(HintStore old, StorageSettings settings) {
      return closeAndOpen(old, settings, this::createStore);
    }

    @Override
    protected HintStore crashAndReopen(HintStore old, StorageSettings settings) {
      return crashAndOpen(old, settings, crashCopies, this::createStore);
    }

    @Override
    protected Map<String, String> options() {
      return optionsFor("always");
    }
  }

  /** Drained queues closed and deleted at once, so the suite also runs queues being reopened. */
  @Nested
  class DrainedQueuesDeletedAtOnce extends HintStoreContractTest {
    @TempDir
    Path crashCopies;

    @Override
    protected HintStore createStore(StorageSettings settings) {
      return new LogHintStore(settings, LogOptions.parse(settings.options()), FileWarmer.FILE_SYSTEM, 0);
    }

    @Override
    protected HintStore reopen(HintStore old, StorageSettings settings) {
      return closeAndOpen(old, settings, this::createStore);
    }

    @Override
    protected HintStore crashAndReopen(HintStore old, StorageSettings settings) {
      return crashAndOpen(old, settings, crashCopies, this::createStore);
    }

    @Override
    protected Map<String, String> options() {
      return optionsFor("none");
    }
  }

  private static final AtomicInteger CRASHES = new AtomicInteger();

  static Map<String, String> optionsFor(String sync) {
    return Map.of("sync", sync, "file.bytes", "64k", "block.bytes", "256k");
  }

  static HintStore closeAndOpen(HintStore old, StorageSettings settings,
      Function<StorageSettings, HintStore> open) {
    old.close();
    return open.apply(settings);
  }

  /** What a {@code kill -9} of the process leaves: see the class comment. */
  static HintStore crashAndOpen(HintStore old, StorageSettings settings, Path copies,
      Function<StorageSettings, HintStore> open) {
    Path copy = copies.resolve("crash-" + CRASHES.incrementAndGet());
    Fixtures.copyTree(settings.directory(), copy);
    old.close();
    return open.apply(new StorageSettings(copy, settings.partitioner(), settings.options()));
  }
}
