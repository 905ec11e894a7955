package io.ringkv.transport.netty.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes from any thread with one flush per burst. A message from another thread goes into a
 * queue, and unless a drain is already pending, one drain task is scheduled on the channel's
 * event loop: it writes everything queued and flushes once (one syscall for a burst instead of
 * one per message). A write on the event loop itself goes straight to the channel and is flushed
 * by the same drain.
 *
 * <p>The peer connections (both ends) and the client protocol's answers write through one each.
 *
 * <p>The drain clears its flag before it takes messages, so a message queued by a writer that
 * saw the flag still set is always taken by that drain, and one queued later schedules the next.
 */
public final class Flusher {
  private record Pending(Object message, ChannelPromise promise) {}

  private final Channel channel;
  private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Runnable drain = this::drain;

  public Flusher(Channel channel) {
    this.channel = channel;
  }

  public ChannelFuture write(Object message) {
    ChannelPromise promise = channel.newPromise();
    if (channel.eventLoop().inEventLoop()) {
      channel.write(message, promise);
    } else {
      queue.add(new Pending(message, promise));
    }
    if (scheduled.compareAndSet(false, true)) {
      try {
        channel.eventLoop().execute(drain);
      } catch (RejectedExecutionException e) {
        scheduled.set(false);
        failQueued(e); // the loop is shutting down with the channel
      }
    }
    return promise;
  }

  private void drain() {
    scheduled.set(false);
    for (Pending p = queue.poll(); p != null; p = queue.poll()) {
      channel.write(p.message(), p.promise());
    }
    channel.flush();
  }

  private void failQueued(Throwable cause) {
    for (Pending p = queue.poll(); p != null; p = queue.poll()) {
      io.netty.util.ReferenceCountUtil.release(p.message());
      p.promise().tryFailure(cause);
    }
  }
}
