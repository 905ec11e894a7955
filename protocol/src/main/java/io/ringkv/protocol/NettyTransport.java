package io.ringkv.protocol;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The socket transport of every ringkv connection (the nodes' servers, their peer clients and the
 * client library): Netty's native epoll where its library loads (Linux on x86-64), NIO elsewhere,
 * or everywhere when the JVM runs with {@code -Dio.netty.transport.noNative=true}. Epoll spares
 * each read and write the JDK selector's bookkeeping and its garbage.
 *
 * <p>A channel must be of its event loop group's kind: {@link #socketChannel} and
 * {@link #serverSocketChannel} pick it from the group, so a group an application hands in (NIO,
 * say) still works.
 */
public final class NettyTransport {
  private static final boolean EPOLL = Epoll.isAvailable();

  private NettyTransport() {}

  /** {@code "epoll"} or {@code "nio"}: what {@link #group} builds on this JVM. */
  public static String name() {
    return EPOLL ? "epoll" : "nio";
  }

  /** A group of {@code threads} daemon threads named after {@code name}, native where it can. */
  public static EventLoopGroup group(int threads, String name) {
    if (threads < 1) {
      throw new IllegalArgumentException(
          "an event loop group needs at least 1 thread, was " + threads);
    }
    IoHandlerFactory io = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), io);
  }

  /** The client socket class that registers with {@code group}'s event loops. */
  public static Class<? extends SocketChannel> socketChannel(EventLoopGroup group) {
    return isEpoll(group) ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /** The server socket class that registers with {@code group}'s event loops. */
  public static Class<? extends ServerSocketChannel> serverSocketChannel(EventLoopGroup group) {
    return isEpoll(group) ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  private static boolean isEpoll(EventLoopGroup group) {
    return group instanceof IoEventLoopGroup io && io.isIoType(EpollIoHandler.class);
  }
}
