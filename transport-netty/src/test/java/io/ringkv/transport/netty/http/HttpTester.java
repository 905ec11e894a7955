package io.ringkv.transport.netty.http;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpVersion;
import io.ringkv.api.KvStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP pipeline of one connection on an {@link EmbeddedChannel}, driven through real HTTP
 * bytes: requests are encoded by Netty's client encoder (or written raw), responses decoded by
 * its client decoder.
 */
public final class HttpTester implements AutoCloseable {
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final EmbeddedChannel server = new EmbeddedChannel();
  private final EmbeddedChannel encoder = new EmbeddedChannel(new HttpRequestEncoder());
  private final EmbeddedChannel decoder = new EmbeddedChannel(new HttpResponseDecoder(),
      new HttpObjectAggregator(64 * 1024 * 1024));
  private final List<FullHttpResponse> received = new ArrayList<>();
  private final List<FullHttpResponse> handedOut = new ArrayList<>();

  public HttpTester(KvStore store, ClusterView cluster, HttpSettings settings) {
    HttpApiServer.install(server.pipeline(), new HttpApi(store, cluster, settings, registry),
        new HttpMetrics(registry));
  }

  public static FullHttpRequest request(HttpMethod method, String uri) {
    return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri);
  }

  public static FullHttpRequest request(HttpMethod method, String uri, String body) {
    FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri,
        Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
    return r;
  }

  /** Sends one request and returns its response (null when none was written). */
  public FullHttpResponse send(FullHttpRequest request) {
    if (!request.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
      request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, request.content().readableBytes());
    }
    encoder.writeOutbound(request);
    for (ByteBuf b = encoder.readOutbound(); b != null; b = encoder.readOutbound()) {
      server.writeInbound(b);
    }
    return next();
  }

  /** Writes raw bytes to the server (pipelined requests, garbage, partial bodies). */
  FullHttpResponse sendRaw(String text) {
    return sendRaw(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  FullHttpResponse sendRaw(byte[] bytes) {
    server.writeInbound(Unpooled.wrappedBuffer(bytes));
    return next();
  }

  /** The next response the server wrote, if any. */
  FullHttpResponse next() {
    server.runPendingTasks();
    for (ByteBuf b = server.readOutbound(); b != null; b = server.readOutbound()) {
      decoder.writeInbound(b);
    }
    for (Object o = decoder.readInbound(); o != null; o = decoder.readInbound()) {
      received.add((FullHttpResponse) o);
    }
    if (received.isEmpty()) {
      return null;
    }
    FullHttpResponse r = received.remove(0);
    handedOut.add(r);
    return r;
  }

  public static String body(FullHttpResponse r) {
    return r.content().toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    received.forEach(FullHttpResponse::release);
    handedOut.forEach(FullHttpResponse::release);
    server.finishAndReleaseAll();
    encoder.finishAndReleaseAll();
    decoder.finishAndReleaseAll();
  }
}
