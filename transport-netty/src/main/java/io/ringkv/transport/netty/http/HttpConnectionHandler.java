package io.ringkv.transport.netty.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP connection: hands each aggregated request to the {@link HttpApi} and writes the
 * answers in request order once their futures complete (on this connection's event loop, never
 * blocking it), recording each in the metrics. Keep-alive as the client asks; a reply marked
 * {@code close} (a malformed request, a value too large to skip) ends the connection after it.
 */
final class HttpConnectionHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(HttpConnectionHandler.class);
  /** Pipelined requests a connection may have waiting before it stops reading from the client. */
  static final int MAX_PIPELINED = 64;

  private final HttpApi api;
  private final HttpMetrics metrics;
  private final ArrayDeque<Exchange> queue = new ArrayDeque<>();
  private boolean closing;

  HttpConnectionHandler(HttpApi api, HttpMetrics metrics) {
    this.api = api;
    this.metrics = metrics;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof FullHttpRequest req) {
      try {
        if (closing) {
          return;
        }
        Exchange ex = new Exchange(req.method().name(), req.protocolVersion(),
            HttpUtil.isKeepAlive(req));
        queue.add(ex);
        if (queue.size() >= MAX_PIPELINED) {
          ctx.channel().config().setAutoRead(false); // backpressure: read again once drained
        }
        api.handle(req, ex, ctx.executor())
            .whenComplete((reply, error) -> answered(ctx, ex,
                reply != null ? reply : lastResort(error)));
      } finally {
        req.release();
      }
    } else if (msg instanceof OversizeAggregator.Oversized o) {
      if (closing) {
        return;
      }
      Exchange ex = new Exchange(o.method(), o.version(), o.keepAlive());
      ex.route = o.route();
      queue.add(ex);
      answered(ctx, ex, o.reply());
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  /** The answer when even rendering the failure failed: a bug, but the client still hears. */
  private static Reply lastResort(Throwable error) {
    try {
      return HttpApi.failure(error);
    } catch (RuntimeException e) {
      log.error("could not render the failure {}", error, e);
      return new Reply(HttpResponseStatus.INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8",
          "internal error".getBytes(java.nio.charset.StandardCharsets.UTF_8), null, null, null,
          true);
    }
  }

  private void answered(ChannelHandlerContext ctx, Exchange ex, Reply reply) {
    if (ctx.executor().inEventLoop()) {
      ex.reply = reply;
      drain(ctx);
      return;
    }
    try {
      ctx.executor().execute(() -> {
        ex.reply = reply;
        drain(ctx);
      });
    } catch (RejectedExecutionException e) {
      log.debug("answer dropped: the event loop is shutting down");
    }
  }

  /** Writes every answer at the head of the queue that is ready, in order. */
  private void drain(ChannelHandlerContext ctx) {
    boolean wrote = false;
    while (!closing && !queue.isEmpty() && queue.peek().reply != null) {
      Exchange ex = queue.poll();
      Reply r = ex.reply;
      boolean keepAlive = ex.keepAlive && !r.close();
      metrics.record(ex.route, ex.method, r.status().code(), System.nanoTime() - ex.startNanos);
      var written = ctx.write(response(ex, r, keepAlive));
      wrote = true;
      if (!keepAlive) {
        closing = true;
        queue.clear();
        written.addListener(ChannelFutureListener.CLOSE);
      }
    }
    if (wrote) {
      ctx.flush();
    }
    if (!closing && queue.size() < MAX_PIPELINED / 2 && !ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  static FullHttpResponse response(Exchange ex, Reply r, boolean keepAlive) {
    FullHttpResponse resp = new DefaultFullHttpResponse(ex.version, r.status(),
        Unpooled.wrappedBuffer(r.body()));
    if (r.contentType() != null) {
      resp.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
    }
    resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
    if (r.context() != null) {
      resp.headers().set(HttpApi.CONTEXT_HEADER, r.context());
    }
    if (r.replicas() != null) {
      resp.headers().set(HttpApi.REPLICAS_HEADER, r.replicas());
    }
    if (r.allow() != null) {
      resp.headers().set(HttpHeaderNames.ALLOW, r.allow());
    }
    HttpUtil.setKeepAlive(resp, keepAlive);
    return resp;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    closing = true;
    queue.clear();
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("HTTP connection from {} failed", ctx.channel().remoteAddress(), cause);
    ctx.close();
  }
}
