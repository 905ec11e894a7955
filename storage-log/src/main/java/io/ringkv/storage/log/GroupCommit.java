package io.ringkv.storage.log;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sync=batch}: one thread forces the log at most once per interval, covering every record
 * appended before the fsync starts; writers wait on a condition for the fsync that covers them.
 * Nothing spins: the thread sleeps on a condition until a writer asks, then until the interval
 * since the previous fsync has passed. {@link #whenDurable} waits without a thread: its future
 * completes on the sync thread after the fsync. An fsync failure is sticky: every later write fails too,
 * as the page cache can no longer be trusted to reach the disk.
 */
final class GroupCommit extends Durability {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
  private static final long WAIT_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final ChronicleLog log;
  private final long intervalNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition requested = lock.newCondition();
  private final Condition synced = lock.newCondition();
  private final Thread thread;
  private long requestedUpTo;
  private long syncedUpTo;
  private RuntimeException failure;
  private boolean stopping;
  /** The sync thread waits for a first request (not for the end of an interval): wake it. */
  private boolean idle;
  private boolean exited;
  /** The futures of {@link #whenDurable}, by position; completed outside the lock. */
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

  private record Waiter(long position, CompletableFuture<Void> done) {}

  GroupCommit(CycleFiles files, ChronicleLog log, int intervalMillis) {
    super(files);
    this.log = log;
    this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
    this.thread = new Thread(this::run, "ringkv-log-sync");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  void awaitDurable(long position) {
    lock.lock();
    try {
      if (position > requestedUpTo) {
        requestedUpTo = position;
        wakeIfIdle();
      }
      long remaining = WAIT_LIMIT_NANOS;
      while (syncedUpTo < position) {
        RuntimeException refusal = refusal();
        if (refusal != null) {
          throw refusal;
        }
        if (remaining <= 0) {
          throw new IllegalStateException("the log's fsync did not complete within "
              + TimeUnit.NANOSECONDS.toSeconds(WAIT_LIMIT_NANOS) + " s");
        }
        remaining = synced.awaitNanos(remaining);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the log's fsync", e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Completes once the fsync covering {@code position} is done, on the sync thread (what depends
   * on it must be quick: it delays the next fsync), or exceptionally as {@link #awaitDurable}
   * would throw. Holds no thread while waiting.
   */
  @Override
  CompletableFuture<Void> whenDurable(long position) {
    lock.lock();
    try {
      if (syncedUpTo >= position) {
        return CompletableFuture.completedFuture(null);
      }
      RuntimeException refusal = refusal();
      if (refusal != null) {
        return CompletableFuture.failedFuture(refusal);
      }
      if (position > requestedUpTo) {
        requestedUpTo = position;
        wakeIfIdle();
      }
      CompletableFuture<Void> done = new CompletableFuture<>();
      waiters.add(new Waiter(position, done));
      return done;
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock: a request wakes the sync thread only when it waits for one. */
  private void wakeIfIdle() {
    if (idle) {
      requested.signal();
    }
  }

  /** Why nothing more becomes durable (under the lock), null while it still does. */
  private RuntimeException refusal() {
    if (failure != null) {
      return new IllegalStateException("the log's fsync failed, so this write is not known to be durable", failure);
    }
    if (exited) {
      return new IllegalStateException("the log closed before this write was forced to disk");
    }
    return null;
  }

  /** Completes (outside the lock) the waiters the last fsync covers, or all of them once none will be. */
  private void release() {
    List<Waiter> covered = new ArrayList<>();
    RuntimeException refusal;
    lock.lock();
    try {
      refusal = refusal();
      for (Iterator<Waiter> i = waiters.iterator(); i.hasNext(); ) {
        Waiter w = i.next();
        if (refusal != null || w.position() <= syncedUpTo) {
          covered.add(w);
          i.remove();
        }
      }
    } finally {
      lock.unlock();
    }
    for (Waiter w : covered) {
      if (refusal != null && w.position() > syncedUpTo) {
        w.done().completeExceptionally(refusal);
      } else {
        w.done().complete(null);
      }
    }
  }

  private void run() {
    long lastSync = System.nanoTime() - intervalNanos;
    try {
      while (true) {
        lock.lock();
        try {
          while (requestedUpTo <= syncedUpTo && !stopping) {
            idle = true;
            try {
              requested.await();
            } finally {
              idle = false;
            }
          }
          if (stopping && requestedUpTo <= syncedUpTo) {
            return;
          }
          // Group: let more writers join until the interval since the previous fsync is over.
          // They do not wake the thread meanwhile (only close does): the fsync waits for the
          // interval's end anyway, and a wake-up per write would cost more than the write.
          for (long wait = lastSync + intervalNanos - System.nanoTime(); wait > 0 && !stopping;
              wait = lastSync + intervalNanos - System.nanoTime()) {
            requested.awaitNanos(wait);
          }
        } finally {
          lock.unlock();
        }
        long target = log.lastAppended();
        lastSync = System.nanoTime();
        forceUpTo(target);
        lock.lock();
        try {
          syncedUpTo = Math.max(syncedUpTo, target);
          synced.signalAll();
        } finally {
          lock.unlock();
        }
        release();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(new IllegalStateException("the log's sync thread was interrupted", e));
    } catch (RuntimeException e) {
      LOG.error("fsync of the log failed; every later write will fail", e);
      fail(e);
    } finally {
      lock.lock();
      try {
        exited = true;
        synced.signalAll();
      } finally {
        lock.unlock();
      }
      release();
    }
  }

  private void fail(RuntimeException e) {
    lock.lock();
    try {
      failure = e;
      synced.signalAll();
    } finally {
      lock.unlock();
    }
    release();
  }

  /** Forces what is pending, then stops the thread (waiting at most 30 s for it). */
  @Override
  public void close() {
    lock.lock();
    try {
      stopping = true;
      requested.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warn("the log's sync thread did not stop within 30 s");
    }
  }
}
