package io.ringkv.storage.log;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import io.ringkv.api.Siblings;
import io.ringkv.storage.spi.Hint;
import io.ringkv.storage.spi.HintBacklog;
import io.ringkv.storage.spi.HintStore;
import io.ringkv.storage.spi.StorageSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LogStorageEngines#openHints}: one {@link HintQueue} per target, each in its own folder of
 * {@link StorageSettings#directory()} (see {@link HintFiles} for the names), the whole folder
 * locked while the store is open. Queues of targets seen before are recovered at open; a new
 * target's folder is made at its first hint.
 */
final class LogHintStore implements HintStore {
  private static final Logger LOG = LoggerFactory.getLogger(LogHintStore.class);
  /** How long a drained queue stays idle before its files are deleted. */
  static final long IDLE_DELETE_MILLIS = 2_000;

  private final Path directory;
  private final LogOptions options;
  private final FileWarmer.Disk disk;
  private final FolderLock folderLock;
  private final Map<NodeId, HintQueue> queues = new ConcurrentHashMap<>();
  /** Folder names taken (by a target, or by a folder left alone); guarded by itself. */
  private final Set<String> folderNames = new HashSet<>();
  private final ScheduledThreadPoolExecutor timer;
  private final Consumer<Runnable> afterIdle;
  private final Lifecycle lifecycle;

  LogHintStore(StorageSettings settings, LogOptions options) {
    this(settings, options, FileWarmer.FILE_SYSTEM, IDLE_DELETE_MILLIS);
  }

  /**
   * {@code disk}: where the disk space comes from (the file system, or a test's stand-in);
   * {@code idleDeleteMillis}: how long a drained queue waits before it is deleted (0: at once).
   */
  LogHintStore(StorageSettings settings, LogOptions options, FileWarmer.Disk disk, long idleDeleteMillis) {
    long started = System.nanoTime();
    this.directory = settings.directory();
    this.lifecycle = new Lifecycle("the hint store in " + directory + " is closed");
    this.options = options;
    this.disk = disk;
    this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "ringkv-hints-idle");
      thread.setDaemon(true);
      return thread;
    });
    timer.setRemoveOnCancelPolicy(true);
    this.afterIdle = idleDeleteMillis == 0 ? Runnable::run : task -> schedule(task, idleDeleteMillis);
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the hint store folder " + directory, e);
    }
    folderLock = FolderLock.acquire(directory, "hint store");
    HintRecovery.Totals totals = new HintRecovery.Totals();
    try {
      recoverTargets(totals);
    } catch (IOException e) {
      abandonOpen();
      throw new UncheckedIOException("cannot recover the hint store in " + directory, e);
    } catch (RuntimeException | Error e) {
      abandonOpen();
      throw e;
    }
    long hints = queues.values().stream().mapToLong(q -> q.backlog().hints()).sum();
    LOG.info("opened the hint store in {}: {} hints pending for {} targets, recovered in {} ms ({} records read, "
            + "{} damaged and {} torn skipped), sync={}", directory, hints,
        queues.values().stream().filter(HintQueue::hasPending).count(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), totals.records, totals.corrupt, totals.torn,
        options.sync());
  }

  @Override
  public Hint append(NodeId target, Key key, Siblings versions, long createdMillis) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(versions, "versions");
    if (versions.isEmpty()) {
      throw new IllegalArgumentException("a hint for " + target + " of " + key + " needs at least one version");
    }
    if (createdMillis < 0) {
      throw new IllegalArgumentException("a hint's createdMillis must be >= 0, was " + createdMillis);
    }
    lifecycle.enter();
    try {
      byte[] keyBytes = RecordCodec.encodeKey(key);
      byte[] record = HintCodec.encode(keyBytes, versions, createdMillis);
      if (record.length > options.maxRecordBytes()) {
        throw new RingkvException(ErrorCode.TOO_LARGE, "a hint for " + target + " of " + key + " would take "
            + record.length + " bytes, over the " + options.maxRecordBytes() + " bytes the hint store takes per hint "
            + "(a quarter of its option " + LogOptions.BLOCK_BYTES + " = " + options.blockBytes()
            + ", less 64); nothing was stored");
      }
      long sequence = queueOf(target, record.length).append(record, new PendingHints.KeyBytes(keyBytes),
          createdMillis);
      return new Hint(target, sequence, key, versions, createdMillis, record.length);
    } finally {
      lifecycle.exit();
    }
  }

  @Override
  public Set<NodeId> targets() {
    lifecycle.enter();
    try {
      Set<NodeId> out = new TreeSet<>();
      queues.forEach((target, queue) -> {
        if (queue.hasPending()) {
          out.add(target);
        }
      });
      return out;
    } finally {
      lifecycle.exit();
    }
  }

  @Override
  public List<Hint> oldest(NodeId target, int max) {
    lifecycle.enter();
    try {
      HintQueue queue = queues.get(target);
      return queue == null ? List.of() : queue.oldest(max);
    } finally {
      lifecycle.exit();
    }
  }

  @Override
  public void release(NodeId target, long upTo) {
    lifecycle.enter();
    try {
      HintQueue queue = queues.get(target);
      if (queue != null) {
        queue.release(upTo);
      }
    } finally {
      lifecycle.exit();
    }
  }

  @Override
  public Map<NodeId, Siblings> pendingFor(Key key) {
    lifecycle.enter();
    try {
      PendingHints.KeyBytes keyBytes = new PendingHints.KeyBytes(RecordCodec.encodeKey(key));
      Map<NodeId, Siblings> out = new HashMap<>();
      queues.forEach((target, queue) -> {
        Siblings versions = queue.pendingFor(keyBytes);
        if (versions != null) {
          out.put(target, versions);
        }
      });
      return out;
    } finally {
      lifecycle.exit();
    }
  }

  @Override
  public HintBacklog backlog(NodeId target) {
    lifecycle.enter();
    try {
      HintQueue queue = queues.get(target);
      return queue == null ? HintBacklog.EMPTY : queue.backlog();
    } finally {
      lifecycle.exit();
    }
  }

  @Override
  public void close() {
    boolean closedNow = lifecycle.closeOnce(() -> { // once the operations in flight are done
      try {
        timer.shutdownNow();
        RuntimeException failure = null;
        for (HintQueue queue : queues.values()) {
          try {
            queue.close();
          } catch (RuntimeException e) {
            failure = failure == null ? e : failure;
          }
        }
        if (failure != null) {
          throw failure;
        }
      } finally {
        folderLock.close();
      }
    });
    if (closedNow) {
      LOG.info("closed the hint store in {}", directory);
    }
  }

  @Override
  public String toString() {
    return "LogHintStore[" + directory + (lifecycle.isClosed() ? ", closed" : "") + "]";
  }

  private HintQueue queueOf(NodeId target, int recordLength) {
    HintQueue queue = queues.get(target);
    if (queue != null) {
      return queue;
    }
    synchronized (folderNames) {
      queue = queues.get(target);
      if (queue == null) {
        long free = usableBytes();
        if (free < HintQueue.OPEN_ROOM + recordLength) {
          throw new RingkvException(ErrorCode.STORAGE_FULL, "no space left on the device of the hint store in "
              + directory + " (" + free + " bytes free): the hint was refused and nothing was stored");
        }
        String name = freeFolderName(target);
        HintFiles.createTargetFolder(directory.resolve(name), target);
        folderNames.add(name);
        queue = HintQueue.create(directory.resolve(name), target, options, disk, afterIdle);
        queues.put(target, queue);
      }
      return queue;
    }
  }

  private String freeFolderName(NodeId target) {
    for (int attempt = 1; ; attempt++) {
      String name = HintFiles.folderName(target, attempt);
      if (!HintFiles.reserved(name) && !folderNames.contains(name) && !Files.exists(directory.resolve(name))) {
        return name;
      }
    }
  }

  /**
   * Opens the queue of every target folder. A folder without a target file was being created when
   * the process died (it holds nothing) and is deleted; one whose target file is unreadable, or
   * names a target another folder has, is left alone with an ERROR.
   */
  private void recoverTargets(HintRecovery.Totals totals) throws IOException {
    List<Path> folders;
    try (Stream<Path> entries = Files.list(directory)) {
      folders = entries.filter(Files::isDirectory).sorted().toList();
    }
    for (Path folder : folders) {
      String name = folder.getFileName().toString();
      folderNames.add(name);
      NodeId target;
      try {
        target = HintFiles.readTarget(folder);
      } catch (IOException e) {
        LOG.error("leaving the hint folder {} alone: {}", folder, e.getMessage());
        continue;
      }
      if (target == null) {
        if (Files.exists(folder.resolve(HintFiles.QUEUE))) {
          LOG.error("leaving the hint folder {} alone: it has a queue but no {} file naming its target", folder,
              HintFiles.TARGET);
        } else {
          LOG.warn("deleting the hint folder {}: a crash cut its creation short, before it held any hint", folder);
          HintFiles.deleteTree(folder);
          folderNames.remove(name);
        }
      } else if (queues.containsKey(target)) {
        LOG.error("leaving the hint folder {} alone: its target {} has another folder", folder, target);
      } else {
        queues.put(target, HintQueue.recover(folder, target, options, disk, afterIdle, totals));
      }
    }
  }

  private void abandonOpen() {
    queues.values().forEach(HintQueue::close);
    timer.shutdownNow();
    folderLock.close();
  }

  private void schedule(Runnable task, long delayMillis) {
    try {
      timer.schedule(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          LOG.warn("a hint queue's idle task failed: {}", e.toString());
        }
      }, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      // The store is closing: the next open deletes what is drained.
    }
  }

  private long usableBytes() {
    try {
      return disk.usableBytes(directory);
    } catch (IOException | RuntimeException e) {
      return Long.MAX_VALUE;
    }
  }
}
