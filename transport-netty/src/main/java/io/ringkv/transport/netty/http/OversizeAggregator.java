package io.ringkv.transport.netty.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Netty's aggregator with the API's own {@code 413}: a JSON body naming the limit, in request
 * order (handed to {@link HttpConnectionHandler} as {@link Oversized}), and the connection kept
 * when it can be: with a known Content-Length the rest of the body is read and discarded, so
 * the next request on the connection works; a chunked body over the limit closes it cleanly
 * after the answer. {@code Expect: 100-continue} requests over the limit get the JSON 413
 * instead of the continue, and never send their body.
 */
final class OversizeAggregator extends HttpObjectAggregator {
  /** A request whose body is over the limit: answered 413 in its turn. */
  record Oversized(String method, HttpVersion version, boolean keepAlive, String route,
      Reply reply) {}

  private final int maxValueBytes;
  private final HttpMetrics metrics;

  OversizeAggregator(int maxValueBytes, HttpMetrics metrics) {
    super(maxValueBytes);
    this.maxValueBytes = maxValueBytes;
    this.metrics = metrics;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized)
      throws Exception {
    if (!(oversized instanceof HttpRequest)) {
      super.handleOversizedMessage(ctx, oversized);
      return;
    }
    HttpRequest req = (HttpRequest) oversized;
    boolean keepOpen = !(oversized instanceof FullHttpMessage)
        && (HttpUtil.is100ContinueExpected(req) || HttpUtil.isKeepAlive(req));
    Reply reply = tooLarge(req);
    ctx.fireChannelRead(new Oversized(req.method().name(), req.protocolVersion(), keepOpen,
        HttpApi.routeOf(req.uri()), keepOpen ? reply : reply.closing()));
  }

  @Override
  protected Object newContinueResponse(HttpMessage start, int maxContentLength,
      ChannelPipeline pipeline) {
    Object answer = super.newContinueResponse(start, maxContentLength, pipeline);
    if (answer instanceof FullHttpResponse resp && start instanceof HttpRequest req
        && resp.status().code() == HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code()) {
      resp.release();
      Exchange ex = new Exchange(req.method().name(), req.protocolVersion(),
          HttpUtil.isKeepAlive(req));
      ex.route = HttpApi.routeOf(req.uri());
      Reply reply = tooLarge(req);
      metrics.record(ex.route, ex.method, reply.status().code(), System.nanoTime() - ex.startNanos);
      return HttpConnectionHandler.response(ex, reply, ex.keepAlive);
    }
    return answer;
  }

  private Reply tooLarge(HttpRequest req) {
    long length = HttpUtil.getContentLength(req, -1L);
    return Reply.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, (length >= 0
        ? "value of " + length + " bytes" : "value of more than " + maxValueBytes + " bytes")
        + " exceeds the limit of " + maxValueBytes + " bytes");
  }
}
