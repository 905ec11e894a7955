package io.ringkv.storage.log;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The open/closed guard of a store: each operation runs between {@link #enter()} and
 * {@link #exit()} under a read lock; {@link #closeOnce} marks the store closed (so new operations
 * fail at once), then waits for the operations in flight by taking the write lock.
 */
final class Lifecycle {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final String closedMessage;
  private volatile boolean closed;

  /** {@code closedMessage}: the message of the exception an operation gets once the store is closed. */
  Lifecycle(String closedMessage) {
    this.closedMessage = closedMessage;
  }

  /** Starts an operation; throws an {@link IllegalStateException} if the store is closed. */
  void enter() {
    if (closed) {
      throw closedException();
    }
    lock.readLock().lock();
    if (closed) {
      lock.readLock().unlock();
      throw closedException();
    }
  }

  /** Ends an operation {@link #enter()} started. */
  void exit() {
    lock.readLock().unlock();
  }

  /** True from the start of the first {@link #closeOnce}. */
  boolean isClosed() {
    return closed;
  }

  /**
   * Marks the store closed, waits for the operations in flight, then runs {@code whileExclusive}
   * holding the write lock (released however it ends); false, running nothing, if the store was
   * already closed.
   */
  boolean closeOnce(Runnable whileExclusive) {
    synchronized (this) {
      if (closed) {
        return false;
      }
      closed = true;
    }
    lock.writeLock().lock();
    try {
      whileExclusive.run();
    } finally {
      lock.writeLock().unlock();
    }
    return true;
  }

  private IllegalStateException closedException() {
    return new IllegalStateException(closedMessage);
  }
}
