package io.ringkv.transport.netty.peer;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.RingkvException;
import io.ringkv.replication.api.ReplicaHandler;
import io.ringkv.replication.api.ReplicaResponse;
import io.ringkv.transport.netty.internal.Flusher;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answering end of one node-to-node connection. Hands each request to the
 * {@link ReplicaHandler} (on {@code executor}, by default the event loop itself: the handler
 * returns a future and must not block; a request the handler says it answers without blocking
 * always runs on the event loop) and writes the answer, tagged with the request's
 * correlation id, whenever that future completes: answers go out in completion order.
 */
final class ServerHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ServerHandler.class);

  private final ReplicaHandler handler;
  private final Executor executor;
  private final Supplier<Function<byte[], CompletableFuture<byte[]>>> gossip;
  private Flusher flusher;

  ServerHandler(ReplicaHandler handler, Executor executor,
      Supplier<Function<byte[], CompletableFuture<byte[]>>> gossip) {
    this.handler = handler;
    this.executor = executor;
    this.gossip = gossip;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    flusher = new Flusher(ctx.channel());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Frame frame = (Frame) msg;
    if (frame instanceof Frame.Request r) {
      dispatch(r.id(), () -> handler.handle(r.from(), r.request()), r.request().kind(),
          handler.handlesWithoutBlocking(r.request()));
    } else if (frame instanceof Frame.GossipRequest g) {
      dispatch(g.id(), () -> gossip(g.payload()), "gossip", false);
    } else if (frame instanceof Frame.Malformed m && m.isRequest()) {
      reply(frame.id(), new Frame.Response(frame.id(), new ReplicaResponse.Failed(
          ErrorCode.INVALID_ARGUMENT, "malformed request: " + m.reason(), "", "", 0, 0)));
    } else {
      String what = frame instanceof Frame.Malformed m ? "a malformed frame (" + m.reason() + ")"
          : "an answer (" + frame.getClass().getSimpleName() + ") where requests are expected";
      log.warn("closing the connection from {}: it sent {}", ctx.channel().remoteAddress(), what);
      ctx.close();
    }
  }

  private CompletableFuture<Object> gossip(byte[] payload) {
    Function<byte[], CompletableFuture<byte[]>> g = gossip.get();
    if (g == null) {
      return CompletableFuture.failedFuture(new RingkvException(ErrorCode.UNAVAILABLE,
          "this node has no gossip handler (membership not started)"));
    }
    return g.apply(payload).thenApply(bytes -> bytes);
  }

  private void dispatch(long id, Supplier<CompletableFuture<?>> work, String kind,
      boolean inline) {
    Runnable run = () -> {
      CompletableFuture<?> answer;
      try {
        answer = work.get();
        if (answer == null) {
          throw new IllegalStateException("the handler returned no future for " + kind);
        }
      } catch (RuntimeException e) {
        log.warn("handling {} failed", kind, e);
        answer = CompletableFuture.failedFuture(e);
      }
      answer.whenComplete((result, error) -> reply(id, answerFrame(id, result, error)));
    };
    if (executor == null || inline) {
      run.run();
    } else {
      executor.execute(run);
    }
  }

  private static Frame answerFrame(long id, Object result, Throwable error) {
    if (error != null) {
      return new Frame.Response(id, ReplicaResponse.Failed.of(error));
    }
    if (result instanceof ReplicaResponse r) {
      return new Frame.Response(id, r);
    }
    if (result instanceof byte[] bytes) {
      return new Frame.GossipResponse(id, bytes.clone());
    }
    return new Frame.Response(id, ReplicaResponse.Failed.of(new IllegalStateException(
        "the handler answered " + result + " instead of a response")));
  }

  private void reply(long id, Frame answer) {
    flusher.write(answer).addListener((ChannelFuture f) -> {
      if (!f.isSuccess() && f.cause() instanceof EncoderException
          && f.cause().getCause() instanceof RingkvException r && f.channel().isActive()) {
        // e.g. an answer over the frame limit: tell the asker instead of leaving it to time out
        flusher.write(new Frame.Response(id, ReplicaResponse.Failed.of(r)));
      }
    });
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Netty wraps what a decoder throws in a plain DecoderException; ours are subclasses.
    Throwable c = cause.getClass() == DecoderException.class && cause.getCause() != null
        ? cause.getCause() : cause;
    if (c instanceof TooLongFrameException || c instanceof CorruptedFrameException) {
      log.warn("closing the connection from {}: {}", ctx.channel().remoteAddress(), c.getMessage());
    } else {
      log.debug("connection from {} failed", ctx.channel().remoteAddress(), c);
    }
    ctx.close();
  }
}
