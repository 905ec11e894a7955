package io.ringkv.benchmarks;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The durable floor's disk ({@link MessageFloor}): appends a record the size of a YCSB key and a
 * 1 KiB value (zeros, as the floor's values are) to one file with a {@code write} call, and after
 * the group {@code fdatasync} that covers it runs the record's action on its channel's event
 * loop. One thread forces the file at most once per 2 ms (or {@code -Dfloor.sync.interval.ms}),
 * as ringkv's {@code storage.sync=batch} at its default interval, and hands each loop its
 * actions in one task that flushes the channels they wrote to.
 */
final class MessageFloorSync {
  private static final long INTERVAL_NANOS =
      TimeUnit.MILLISECONDS.toNanos(Long.getLong("floor.sync.interval.ms", 2));
  private static final int RECORD_BYTES = 4 + 23 + 1024; // length, key, value

  private record Waiter(Channel channel, Runnable action) {}

  private final FileChannel file;
  private final ByteBuffer record = ByteBuffer.allocate(RECORD_BYTES);
  private final Thread thread = new Thread(this::run, "floor-sync");
  // guarded by this
  private List<Waiter> waiting = new ArrayList<>();
  private boolean idle;

  MessageFloorSync(Path path) throws IOException {
    this.file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Appends a record now; runs {@code action} on {@code channel}'s loop once it is durable. */
  synchronized void append(Channel channel, Runnable action) {
    record.clear();
    record.putInt(RECORD_BYTES - 4).position(RECORD_BYTES);
    record.flip();
    try {
      while (record.hasRemaining()) {
        file.write(record);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    waiting.add(new Waiter(channel, action));
    if (idle) {
      notify();
    }
  }

  private void run() {
    long last = System.nanoTime() - INTERVAL_NANOS;
    try {
      while (true) {
        synchronized (this) {
          while (waiting.isEmpty()) {
            idle = true;
            wait();
            idle = false;
          }
        }
        long wait = last + INTERVAL_NANOS - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait); // more writers join the group meanwhile
        }
        List<Waiter> covered;
        synchronized (this) {
          covered = waiting; // every record of these was written before the force below
          waiting = new ArrayList<>();
        }
        last = System.nanoTime();
        file.force(false);
        handBack(covered);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One task per event loop: runs its actions in order, then flushes what they wrote. */
  private static void handBack(List<Waiter> covered) {
    Map<EventLoop, List<Waiter>> byLoop = new HashMap<>();
    for (Waiter w : covered) {
      byLoop.computeIfAbsent(w.channel().eventLoop(), l -> new ArrayList<>()).add(w);
    }
    byLoop.forEach((loop, waiters) -> loop.execute(() -> {
      Set<Channel> written = new LinkedHashSet<>();
      for (Waiter w : waiters) {
        w.action().run();
        written.add(w.channel());
      }
      written.forEach(Channel::flush);
    }));
  }
}
