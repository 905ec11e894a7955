package io.ringkv.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class NettyTransportTest {
  private final EventLoopGroup nativeGroup = NettyTransport.group(1, "transport-test-native");
  private final EventLoopGroup nioGroup =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

  @AfterEach
  void stop() {
    nativeGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    nioGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** The distribution and the client ship the native library: on Linux x86-64 it must load. */
  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void linuxOnX8664RunsTheNativeTransport() {
    assertThat(NettyTransport.name()).isEqualTo("epoll");
    assertThat(NettyTransport.socketChannel(nativeGroup)).isEqualTo(EpollSocketChannel.class);
    assertThat(NettyTransport.serverSocketChannel(nativeGroup))
        .isEqualTo(EpollServerSocketChannel.class);
  }

  @Test
  void aGroupAnApplicationBuiltOnNioGetsNioChannels() {
    assertThat(NettyTransport.socketChannel(nioGroup)).isEqualTo(NioSocketChannel.class);
    assertThat(NettyTransport.serverSocketChannel(nioGroup))
        .isEqualTo(NioServerSocketChannel.class);
  }

  @Test
  void aGroupNeedsAThread() {
    assertThatThrownBy(() -> NettyTransport.group(0, "none"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 thread");
  }

  /** A server on this JVM's transport answers a client on NIO: the ends need not match. */
  @Test
  void aNioClientTalksToANativeServerOverLoopback() throws Exception {
    Channel server = new ServerBootstrap().group(nativeGroup)
        .channel(NettyTransport.serverSocketChannel(nativeGroup))
        .childHandler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new SimpleChannelInboundHandler<ByteBuf>() {
              @Override
              protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                ctx.writeAndFlush(msg.retain());
              }
            });
          }
        }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    CompletableFuture<String> echoed = new CompletableFuture<>();
    Channel client = new Bootstrap().group(nioGroup)
        .channel(NettyTransport.socketChannel(nioGroup))
        .handler(new SimpleChannelInboundHandler<ByteBuf>() {
          @Override
          protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
            echoed.complete(msg.toString(StandardCharsets.UTF_8));
          }
        }).connect(server.localAddress()).sync().channel();
    try {
      client.writeAndFlush(Unpooled.copiedBuffer("ping", StandardCharsets.UTF_8)).sync();
      assertThat(echoed.get(5, TimeUnit.SECONDS)).isEqualTo("ping");
    } finally {
      client.close().syncUninterruptibly();
      server.close().syncUninterruptibly();
    }
  }
}
