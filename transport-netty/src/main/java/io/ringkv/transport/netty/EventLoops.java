package io.ringkv.transport.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.ringkv.protocol.NettyTransport;
import io.ringkv.transport.netty.http.HttpApiServer;
import io.ringkv.transport.netty.peer.NettyReplicaNetwork;
import io.ringkv.transport.netty.peer.NettyReplicaServer;
import java.util.concurrent.TimeUnit;

/**
 * The event loops every Netty component of a node shares: one group, a few threads (a request
 * never gets a thread of its own). Give the group to {@link NettyReplicaServer},
 * {@link NettyReplicaNetwork} and {@link HttpApiServer}; whoever creates it shuts it down.
 */
public final class EventLoops {
  /** Two threads: enough for this workload on a small machine. */
  public static final int DEFAULT_THREADS = 2;

  private EventLoops() {}

  /**
   * A group of {@code threads} daemon threads named after {@code name}: epoll where it loads, NIO
   * elsewhere ({@link NettyTransport}).
   */
  public static EventLoopGroup create(int threads, String name) {
    return NettyTransport.group(threads, name);
  }

  /** Shuts a group down and waits (bounded) for its threads, unless called from one of them. */
  public static void shutdown(EventLoopGroup group) {
    Future<?> done = group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    for (EventExecutor e : group) {
      if (e.inEventLoop()) {
        return;
      }
    }
    done.awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
