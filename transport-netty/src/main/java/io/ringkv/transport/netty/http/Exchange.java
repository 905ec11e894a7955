package io.ringkv.transport.netty.http;

import io.netty.handler.codec.http.HttpVersion;

/**
 * One request on a connection, from arrival until its answer is written: the answers of a
 * connection go out in request order (HTTP/1.1 pipelining), whatever order they complete in.
 * Confined to the connection's event loop.
 */
final class Exchange {
  final long startNanos = System.nanoTime();
  final String method;
  final HttpVersion version;
  final boolean keepAlive;
  /** The route template for metrics, set by the router. */
  String route = HttpApi.UNMATCHED;
  Reply reply;

  Exchange(String method, HttpVersion version, boolean keepAlive) {
    this.method = method;
    this.version = version;
    this.keepAlive = keepAlive;
  }
}
