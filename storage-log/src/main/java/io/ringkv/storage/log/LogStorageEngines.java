package io.ringkv.storage.log;

import io.ringkv.storage.spi.HintStore;
import io.ringkv.storage.spi.StorageEngine;
import io.ringkv.storage.spi.StorageEngineFactory;
import io.ringkv.storage.spi.StorageSettings;
import java.util.Map;
import java.util.Optional;

/**
 * The log-structured storage engine, {@code storage.engine=log}: Bitcask (Riak's default backend)
 * on Chronicle Queue. Every write appends one checksummed record (the key and the whole sibling
 * set kept for it after the merge, tombstones included) to an append-only log; an in-memory index
 * maps each key to its newest record and is rebuilt at start-up from the latest index snapshot
 * plus the log after it. Compaction copies the live records of old log files forward and deletes
 * those files. The engine's folder is {@link StorageSettings#directory()}: {@code log/} holds the
 * Chronicle Queue files (one per log file), {@code index.snapshot} the index snapshot.
 *
 * <h2>Options ({@link StorageSettings#options()})</h2>
 * <ul>
 *   <li>{@code sync} = {@code none} | {@code batch} (default) | {@code always}: see below.</li>
 *   <li>{@code batch.interval.ms} (default 2): with {@code batch}, the least time between fsyncs.</li>
 *   <li>{@code compaction.threshold} (default 0.6): compact once dead bytes / all bytes of the
 *       closed log files reach it. It trades disk for write amplification: the closed files stay
 *       under about 1 / (1 - threshold) times the live data (2.5 times at 0.6, 2 times at 0.5), and
 *       the lower it is, the more live records each compaction copies per byte it frees. 0.6 is
 *       Bitcask's default merge trigger ({@code frag_merge_trigger}, 60 % dead); BENCHMARKS.md
 *       measures both.</li>
 *   <li>{@code compaction.min.bytes} (default 64m): never compact closed files smaller than this.</li>
 *   <li>{@code snapshot.interval.records} (default 500000): write an index snapshot after this
 *       many appended records (0: only at close); start-up replays at most that many records.</li>
 *   <li>{@code file.bytes} (default 64m): a log file is closed once it holds this much.</li>
 *   <li>{@code block.bytes} (default 64m, a power of two): Chronicle's block size; a record (a
 *       key's whole sibling set) may take up to a quarter of it.</li>
 * </ul>
 * Sizes take a k, m or g suffix. An unknown option or a bad value is refused with an
 * {@link IllegalArgumentException} naming the option and the rule.
 *
 * <h2>What each {@code sync} mode survives</h2>
 * <ul>
 *   <li>{@code none}: a put returns once its record is in the log's memory-mapped file, i.e. the
 *       OS page cache. Survives the process crashing or being killed ({@code kill -9}); a power
 *       loss or kernel crash may lose the writes of the last seconds (the OS decides when to
 *       flush). Fastest.</li>
 *   <li>{@code batch}: group commit. A put returns only after an fsync that covers its record; one
 *       sync thread issues at most one fsync per {@code batch.interval.ms}, covering every record
 *       appended before it starts, so concurrent writers share it. Survives a process crash and a
 *       power loss for every acknowledged write; costs up to one interval plus one fsync of
 *       latency per put, not one fsync per put.</li>
 *   <li>{@code always}: every put forces the log file before it returns. Survives what
 *       {@code batch} survives, with an fsync per write.</li>
 * </ul>
 * In every mode a torn or damaged record (a write cut short, bits flipped on disk) fails its
 * CRC32C checksum or never completes its Chronicle header, and is skipped, never served; a clean
 * {@link StorageEngine#close()} forces the log in every mode. A compaction forces its copies
 * before it deletes the old files, so it never loses data that was already durable.
 *
 * <h2>Hints</h2>
 * {@link #openHints} (and the factory's {@link StorageEngineFactory#openHints}) opens the durable
 * hint store that goes with the engine, in its own folder: one Chronicle queue per target, kept
 * as durably as the engine's puts under the same {@code sync} mode.
 */
public final class LogStorageEngines {
  /** The name {@code storage.engine} selects this engine by. */
  public static final String NAME = "log";

  private static final StorageEngineFactory FACTORY = new StorageEngineFactory() {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public void checkOptions(Map<String, String> options) {
      LogOptions.parse(options);
    }

    @Override
    public StorageEngine create(StorageSettings settings) {
      return open(settings);
    }

    @Override
    public HintStore openHints(StorageSettings settings) {
      return LogStorageEngines.openHints(settings);
    }

    @Override
    public String toString() {
      return "StorageEngineFactory[" + NAME + "]";
    }
  };

  private LogStorageEngines() {
  }

  /** The factory, named {@value #NAME}. */
  public static StorageEngineFactory factory() {
    return FACTORY;
  }

  /**
   * Opens the engine over {@code settings}, recovering what its folder holds.
   *
   * @throws IllegalArgumentException when an option is unknown or breaks a rule
   * @throws java.io.UncheckedIOException when the folder cannot be read or written
   */
  public static StorageEngine open(StorageSettings settings) {
    if (settings == null) {
      throw new IllegalArgumentException("the " + NAME + " storage engine needs settings, got null");
    }
    return new LogStorageEngine(settings, LogOptions.parse(settings.options()));
  }

  /**
   * Opens the durable hint store that goes with the engine over {@code settings}: its own folder
   * (the server passes {@code <data dir>/hints}, never the engine's folder) with its own lock, and
   * the engine's options. It keeps every hint {@link HintStore#append} returned for, until it is
   * released, as durably as the engine keeps a put under the same {@code sync} mode; it uses
   * {@code sync}, {@code batch.interval.ms}, {@code file.bytes} (its files' size) and
   * {@code block.bytes} (a hint may take a quarter of it, less 64 bytes), accepts the other
   * engine options without using them, and refuses unknown ones as the engine does. See the
   * module's README for its folder layout, record format and memory use.
   *
   * @throws IllegalArgumentException when an option is unknown or breaks a rule
   * @throws IllegalStateException when another open hint store holds the folder
   * @throws java.io.UncheckedIOException when the folder cannot be read or written
   */
  public static HintStore openHints(StorageSettings settings) {
    if (settings == null) {
      throw new IllegalArgumentException("the " + NAME + " hint store needs settings, got null");
    }
    return new LogHintStore(settings, LogOptions.parse(settings.options()));
  }

  /** The engine's sizes and counters when {@code engine} is a log engine (for metrics). */
  public static Optional<LogStorageStats> stats(StorageEngine engine) {
    return engine instanceof LogStorageEngine log ? Optional.of(log.stats()) : Optional.empty();
  }
}
