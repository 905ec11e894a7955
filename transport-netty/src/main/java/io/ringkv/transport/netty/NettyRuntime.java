package io.ringkv.transport.netty;

import io.netty.channel.EventLoopGroup;
import io.ringkv.protocol.NettyTransport;
import java.util.concurrent.TimeUnit;

/**
 * The event loops a node's servers and clients share, owned as one closeable thing so that code
 * outside this module never handles a Netty type.
 */
public final class NettyRuntime implements AutoCloseable {
  private final EventLoopGroup group;

  private NettyRuntime(EventLoopGroup group) {
    this.group = group;
  }

  /** {@code threads} event loop threads named {@code name-N}. */
  public static NettyRuntime create(int threads, String name) {
    return new NettyRuntime(EventLoops.create(threads, name));
  }

  /** {@code "epoll"} or {@code "nio"}: the socket transport the event loops run. */
  public String transport() {
    return NettyTransport.name();
  }

  public EventLoopGroup group() {
    return group;
  }

  /** Stops the event loops (after the servers and clients that use them are closed). */
  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
