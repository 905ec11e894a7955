package io.ringkv.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.ringkv.protocol.ClientFrames;
import io.ringkv.protocol.NettyTransport;
import io.ringkv.protocol.proto.Request;
import io.ringkv.protocol.proto.Response;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The client's connections: a few per node address, opened on first use and again after one
 * closes, and the nodes recently found unreachable (skipped by routing while another will do).
 */
final class Nodes implements AutoCloseable {
  private final Bootstrap bootstrap;
  private final int perNode;
  private final int maxFrameBytes;
  private final long suspectNanos;
  private final Map<InetSocketAddress, Slots> byAddress = new ConcurrentHashMap<>();
  private final Map<InetSocketAddress, Long> suspectUntil = new ConcurrentHashMap<>();
  private volatile boolean closed;

  Nodes(EventLoopGroup group, Duration connectTimeout, int perNode, int maxFrameBytes,
      Duration suspectFor) {
    this.perNode = perNode;
    this.maxFrameBytes = maxFrameBytes;
    this.suspectNanos = suspectFor.toNanos();
    this.bootstrap = new Bootstrap().group(group).channel(NettyTransport.socketChannel(group))
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
            connectTimeout.toMillis()))
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true);
  }

  /** The connections to one address, chosen in turn. */
  private final class Slots {
    final InetSocketAddress address;
    final AtomicReferenceArray<CompletableFuture<Connection>> slots;
    final AtomicInteger next = new AtomicInteger();

    Slots(InetSocketAddress address) {
      this.address = address;
      this.slots = new AtomicReferenceArray<>(perNode);
    }

    CompletableFuture<Connection> get() {
      int i = Math.floorMod(next.getAndIncrement(), perNode);
      while (true) {
        CompletableFuture<Connection> current = slots.get(i);
        if (current != null && (!current.isDone() || usable(current))) {
          return current;
        }
        CompletableFuture<Connection> fresh = new CompletableFuture<>();
        if (slots.compareAndSet(i, current, fresh)) {
          connect(address, fresh);
          return fresh;
        }
      }
    }

    void close() {
      for (int i = 0; i < perNode; i++) {
        CompletableFuture<Connection> c = slots.getAndSet(i, null);
        if (c != null) {
          c.thenAccept(conn -> conn.close("the client is closed"));
        }
      }
    }
  }

  private static boolean usable(CompletableFuture<Connection> done) {
    return !done.isCompletedExceptionally() && done.join().isUsable();
  }

  private void connect(InetSocketAddress address, CompletableFuture<Connection> result) {
    if (closed) {
      result.completeExceptionally(NodeFailure.notSent(address, "the client is closed"));
      return;
    }
    Connection connection = new Connection(address);
    ChannelFuture connecting = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        ch.pipeline().addLast("first-bytes", connection.new FirstBytes());
        ClientFrames.install(ch.pipeline(), maxFrameBytes);
        ch.pipeline().addLast("responses", connection);
      }
    }).connect(address);
    connection.attach(connecting.channel());
    connecting.addListener(done -> {
      if (done.isSuccess()) {
        result.complete(connection);
      } else {
        result.completeExceptionally(NodeFailure.notSent(address, describe(done.cause())));
      }
    });
  }

  private static String describe(Throwable t) {
    if (t instanceof java.net.ConnectException) {
      return "connection refused";
    }
    if (t instanceof io.netty.channel.ConnectTimeoutException) {
      return "no connection in time";
    }
    if (t instanceof java.nio.channels.UnresolvedAddressException
        || t instanceof java.net.UnknownHostException) {
      return "unknown host";
    }
    return String.valueOf(t);
  }

  /** Sends one request to {@code address}, connecting first if needed. */
  CompletableFuture<Response> send(InetSocketAddress address, Request.Builder request,
      Duration timeout) {
    if (closed) {
      return CompletableFuture.failedFuture(NodeFailure.notSent(address, "the client is closed"));
    }
    return byAddress.computeIfAbsent(address, Slots::new).get()
        .thenCompose(connection -> connection.send(request, timeout))
        .whenComplete((answer, failure) -> {
          if (failure == null) {
            if (!suspectUntil.isEmpty()) {
              suspectUntil.remove(address);
            }
          } else if (unwrap(failure) instanceof NodeFailure f && f.nodeSuspect()) {
            suspectUntil.put(address, System.nanoTime() + suspectNanos);
          }
        });
  }

  /** Whether {@code address} failed recently: routing tries it only after the others. */
  boolean suspect(InetSocketAddress address) {
    Long until = suspectUntil.get(address);
    if (until == null) {
      return false;
    }
    if (System.nanoTime() - until >= 0) {
      suspectUntil.remove(address, until);
      return false;
    }
    return true;
  }

  static Throwable unwrap(Throwable t) {
    Throwable x = t;
    while ((x instanceof java.util.concurrent.CompletionException
        || x instanceof java.util.concurrent.ExecutionException) && x.getCause() != null) {
      x = x.getCause();
    }
    return x;
  }

  @Override
  public void close() {
    closed = true;
    byAddress.values().forEach(Slots::close);
    byAddress.clear();
  }
}
