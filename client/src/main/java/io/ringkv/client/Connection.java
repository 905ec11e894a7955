package io.ringkv.client;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.ringkv.protocol.ClientFrameDecoder;
import io.ringkv.protocol.proto.Request;
import io.ringkv.protocol.proto.Response;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One connection to a node's client port: many requests in flight, each with an id of its own,
 * answered in whatever order the node finishes them. A request fails with a
 * {@link NodeFailure} that says whether the node can have seen it (so a write is retried only
 * when it certainly was not).
 */
final class Connection extends ChannelInboundHandlerAdapter {
  /** The first bytes of an HTTP response: a client pointed at a node's HTTP port reads these. */
  private static final byte[] HTTP = "HTTP".getBytes(StandardCharsets.US_ASCII);

  private final InetSocketAddress address;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private volatile Channel channel;
  private volatile String closedBecause;

  Connection(InetSocketAddress address) {
    this.address = address;
  }

  /** A request waiting for its answer; its timer is set once it is registered. */
  private static final class Pending {
    final CompletableFuture<Response> answer;
    volatile ScheduledFuture<?> timeout;

    Pending(CompletableFuture<Response> answer) {
      this.answer = answer;
    }

    void cancelTimer() {
      ScheduledFuture<?> t = timeout;
      if (t != null) {
        t.cancel(false);
      }
    }
  }

  void attach(Channel ch) {
    this.channel = ch;
  }

  boolean isUsable() {
    Channel ch = channel;
    return ch != null && ch.isActive() && closedBecause == null;
  }

  InetSocketAddress address() {
    return address;
  }

  /** Sends {@code request} (its id set here) and completes with the node's answer. */
  CompletableFuture<Response> send(Request.Builder request, Duration timeout) {
    CompletableFuture<Response> answer = new CompletableFuture<>();
    Channel ch = channel;
    if (ch == null || !ch.isActive()) {
      answer.completeExceptionally(NodeFailure.notSent(address, "the connection is closed"));
      return answer;
    }
    long id = ids.incrementAndGet();
    byte[] frame = request.setId(id).build().toByteArray();
    // Registered before its timer starts, so a timer that fires at once finds it to fail.
    Pending p = new Pending(answer);
    pending.put(id, p);
    // The timer and the write go to the event loop as one task: a caller's thread hands each
    // request over once, not twice (the client's profile had 8 % in scheduling timers alone).
    EventLoop loop = ch.eventLoop();
    Runnable write = () -> {
      p.timeout = loop.schedule(() -> expire(id, timeout), timeout.toMillis(),
          TimeUnit.MILLISECONDS);
      if (answer.isDone()) {
        p.cancelTimer(); // the connection closed meanwhile; the write below fails as well
      }
      ch.writeAndFlush(Unpooled.wrappedBuffer(frame)).addListener(written -> {
        if (!written.isSuccess()) {
          fail(id, NodeFailure.notSent(address, "the request could not be written: "
              + written.cause()));
        }
      });
    };
    if (loop.inEventLoop()) {
      write.run();
    } else {
      try {
        loop.execute(write);
      } catch (RejectedExecutionException stopped) {
        fail(id, NodeFailure.notSent(address, "the client is closing"));
      }
    }
    return answer;
  }

  private void expire(long id, Duration timeout) {
    fail(id, NodeFailure.noAnswer(address, timeout.toMillis() + " ms"));
  }

  private void fail(long id, NodeFailure failure) {
    Pending p = pending.remove(id);
    if (p != null) {
      p.cancelTimer();
      p.answer.completeExceptionally(failure);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof ClientFrameDecoder.Oversized o) {
        fail(o.id(), NodeFailure.answered(address, new io.ringkv.api.RingkvException(
            io.ringkv.api.ErrorCode.TOO_LARGE, "the answer of " + o.length()
                + " bytes is over this client's limit of " + o.limit()
                + " bytes (RingkvClient.Builder.maxFrameBytes)")));
        return;
      }
      ByteBuf frame = (ByteBuf) msg;
      Response response;
      try {
        response = Response.parseFrom(frame.nioBuffer());
      } catch (InvalidProtocolBufferException e) {
        close("node " + HostPort.format(address) + " broke the protocol: a frame that is not a response ("
            + e.getMessage() + ")");
        return;
      }
      Pending p = pending.remove(response.getId());
      if (p != null) {
        p.cancelTimer();
        p.answer.complete(response);
      } else if (response.getId() == 0 && response.hasError()) {
        // The node could not read a frame of ours at all: nothing can be matched to it any more.
        close("node " + HostPort.format(address) + " could not read a request: " + response.getError().getMessage());
      }
      // else: the answer to a request that timed out meanwhile; nobody waits for it.
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  /**
   * Ahead of the framing, on the first bytes a node sends: a client pointed at an HTTP port gets
   * a clear error, not a hang. It looks once, at the start of the stream, and steps aside.
   */
  final class FirstBytes extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.pipeline().remove(this);
      if (msg instanceof ByteBuf buf && buf.readableBytes() >= HTTP.length
          && ByteBufUtil.equals(buf, buf.readerIndex(), Unpooled.wrappedBuffer(HTTP), 0,
              HTTP.length)) {
        ReferenceCountUtil.release(msg);
        close(HostPort.format(address) + " answered in HTTP: that is a node's HTTP port, not its"
            + " client.port (default 8087)");
        return;
      }
      ctx.fireChannelRead(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    failAll(closedBecause != null ? closedBecause : "node " + HostPort.format(address) + " closed the connection");
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    close("the connection to " + HostPort.format(address) + " failed: " + cause);
  }

  /** Closes the connection; every request still waiting fails with {@code why}. */
  void close(String why) {
    if (closedBecause == null) {
      closedBecause = why;
    }
    Channel ch = channel;
    if (ch != null) {
      ch.close();
    }
    failAll(why);
  }

  private void failAll(String why) {
    List<Long> ids = new ArrayList<>(pending.keySet());
    for (Long id : ids) {
      fail(id, NodeFailure.lost(address, why));
    }
  }
}
