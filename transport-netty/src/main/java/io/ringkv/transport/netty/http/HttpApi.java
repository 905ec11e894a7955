package io.ringkv.transport.netty.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.GetResult;
import io.ringkv.api.InvalidContextException;
import io.ringkv.api.Key;
import io.ringkv.api.KvStore;
import io.ringkv.api.RequestOptions;
import io.ringkv.api.RingkvException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes of DESIGN.md ("What users touch → HTTP API"): parses a request, calls the store or
 * the cluster view, and turns the outcome into a {@link Reply}. Never blocks: every answer is a
 * future completed by the store. Never throws: a client's mistake becomes a 4xx naming it, a
 * refused quorum 400, an unreachable quorum 503, and only a bug a 500.
 */
final class HttpApi {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

  static final String KEY_ROUTE = "/buckets/{bucket}/keys/{key}";
  static final String REPLICAS_ROUTE = "/buckets/{bucket}/keys/{key}/replicas";
  static final String RING_ROUTE = "/cluster/ring";
  static final String MEMBERS_ROUTE = "/cluster/members";
  static final String HEALTH_ROUTE = "/health";
  static final String JOIN_ROUTE = "/cluster/join";
  static final String LEAVE_ROUTE = "/cluster/leave";
  static final String METRICS_ROUTE = "/metrics";
  static final String UNMATCHED = "unmatched";
  static final String CONTEXT_HEADER = "X-Context";
  static final String REPLICAS_HEADER = "X-Ringkv-Replicas";
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final KvStore store;
  private final ClusterView cluster;
  private final HttpSettings settings;
  private final PrometheusMeterRegistry registry;

  HttpApi(KvStore store, ClusterView cluster, HttpSettings settings,
      PrometheusMeterRegistry registry) {
    this.store = store;
    this.cluster = cluster;
    this.settings = settings;
    this.registry = registry;
  }

  HttpSettings settings() {
    return settings;
  }

  /** The answer to {@code req}; {@code timer} bounds the waits of {@code /replicas}. */
  CompletableFuture<Reply> handle(FullHttpRequest req, Exchange ex, ScheduledExecutorService timer) {
    CompletableFuture<Reply> reply;
    try {
      reply = route(req, ex, timer);
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    return reply.exceptionally(HttpApi::failure);
  }

  private CompletableFuture<Reply> route(FullHttpRequest req, Exchange ex,
      ScheduledExecutorService timer) {
    if (!req.decoderResult().isSuccess()) {
      return done(malformedHttp(req.decoderResult().cause()));
    }
    QueryStringDecoder uri = new QueryStringDecoder(req.uri());
    String path = uri.rawPath();
    String[] s = path.startsWith("/") ? path.substring(1).split("/", -1) : new String[0];
    HttpMethod method = req.method();
    if (s.length >= 3 && s[0].equals("buckets") && s[2].equals("keys")) {
      if (s.length == 3 || s.length == 4 && s[3].isEmpty()) {
        ex.route = KEY_ROUTE;
        throw invalid("missing key: use /buckets/{bucket}/keys/{key}");
      }
      if (s.length == 4) {
        ex.route = KEY_ROUTE;
        if (method.equals(HttpMethod.GET)) {
          return get(key(s[1], s[3]), uri);
        } else if (method.equals(HttpMethod.PUT)) {
          return put(key(s[1], s[3]), uri, req);
        } else if (method.equals(HttpMethod.DELETE)) {
          return delete(key(s[1], s[3]), uri, req);
        }
        return done(Reply.methodNotAllowed(method.name(), KEY_ROUTE, "GET, PUT, DELETE"));
      }
      if (s.length == 5 && s[4].equals("replicas")) {
        ex.route = REPLICAS_ROUTE;
        if (!method.equals(HttpMethod.GET)) {
          return done(Reply.methodNotAllowed(method.name(), REPLICAS_ROUTE, "GET"));
        }
        Key key = key(s[1], s[3]);
        return ReplicasView.render(key, cluster, settings.replicasTimeout(), timer);
      }
    }
    if (path.equals(JOIN_ROUTE) || path.equals(LEAVE_ROUTE)) {
      ex.route = path;
      if (!method.equals(HttpMethod.POST)) {
        return done(Reply.methodNotAllowed(method.name(), path, "POST"));
      }
      CompletableFuture<String> action;
      if (path.equals(JOIN_ROUTE)) {
        List<String> seed = uri.parameters().get("seed");
        if (seed == null || seed.size() != 1 || seed.get(0).isBlank()) {
          throw invalid("join needs one seed: POST /cluster/join?seed=host:port");
        }
        action = cluster.join(seed.get(0));
      } else {
        action = cluster.leave();
      }
      return action.thenApply(message -> Reply.json(HttpResponseStatus.OK,
          new JsonWriter().beginObject().field("status", message).endObject().toUtf8()));
    }
    String route = path.equals(RING_ROUTE) ? RING_ROUTE : path.equals(MEMBERS_ROUTE)
        ? MEMBERS_ROUTE : path.equals(HEALTH_ROUTE) ? HEALTH_ROUTE
        : path.equals(METRICS_ROUTE) ? METRICS_ROUTE : null;
    if (route == null) {
      return done(Reply.error(HttpResponseStatus.NOT_FOUND, "unknown route: " + path));
    }
    ex.route = route;
    if (!method.equals(HttpMethod.GET)) {
      return done(Reply.methodNotAllowed(method.name(), route, "GET"));
    }
    switch (route) {
      case RING_ROUTE:
        return done(Reply.json(HttpResponseStatus.OK, JsonViews.ring(cluster.ring())));
      case MEMBERS_ROUTE:
        return done(Reply.json(HttpResponseStatus.OK, JsonViews.members(cluster.members())));
      case HEALTH_ROUTE:
        return done(Reply.json(HttpResponseStatus.OK, JsonViews.health(cluster)));
      default:
        return done(Reply.plain(HttpResponseStatus.OK, PROMETHEUS_TEXT,
            registry.scrape().getBytes(StandardCharsets.UTF_8)));
    }
  }

  /** The route template of a request target, for metrics of requests never routed. */
  static String routeOf(String uri) {
    String path = new QueryStringDecoder(uri).rawPath();
    String[] s = path.startsWith("/") ? path.substring(1).split("/", -1) : new String[0];
    if (s.length >= 3 && s[0].equals("buckets") && s[2].equals("keys")) {
      return s.length == 5 && s[4].equals("replicas") ? REPLICAS_ROUTE
          : s.length <= 4 ? KEY_ROUTE : UNMATCHED;
    }
    return List.of(RING_ROUTE, MEMBERS_ROUTE, HEALTH_ROUTE, METRICS_ROUTE, JOIN_ROUTE, LEAVE_ROUTE)
        .contains(path)
        ? path : UNMATCHED;
  }

  // ---------------------------------------------------------------- the key routes

  private CompletableFuture<Reply> get(Key key, QueryStringDecoder uri) {
    RequestOptions options = new RequestOptions(quorumParameter(uri, "r"), 0,
        primariesParameter(uri, "pr"), 0, null);
    return store.get(key, options).thenApply(HttpApi::found);
  }

  private static Reply found(GetResult r) {
    if (!r.isFound()) {
      return Reply.json(HttpResponseStatus.NOT_FOUND, JsonWriter.error("not found"), r.context());
    }
    if (!r.hasConflict()) {
      return Reply.value(r.value().toByteArray(), r.context());
    }
    return Reply.json(HttpResponseStatus.MULTIPLE_CHOICES, JsonViews.siblings(r), r.context());
  }

  private CompletableFuture<Reply> put(Key key, QueryStringDecoder uri, FullHttpRequest req) {
    RequestOptions options = writeOptions(uri);
    Context context = context(req);
    int length = req.content().readableBytes();
    if (length > settings.maxValueBytes()) {
      throw new RingkvException(ErrorCode.TOO_LARGE, "value of " + length
          + " bytes exceeds the limit of " + settings.maxValueBytes() + " bytes");
    }
    Bytes value = req.content().hasArray()
        ? Bytes.of(req.content().array(), req.content().arrayOffset() + req.content().readerIndex(),
            length)
        : Bytes.of(io.netty.buffer.ByteBufUtil.getBytes(req.content()));
    return namingTheHeader(req, store.put(key, context, value, options)).thenApply(Reply::written);
  }

  /** With X-Context: a tombstone superseding it. Without: read first, then delete what was read. */
  private CompletableFuture<Reply> delete(Key key, QueryStringDecoder uri, FullHttpRequest req) {
    RequestOptions options = writeOptions(uri);
    if (req.headers().contains(CONTEXT_HEADER)) {
      return namingTheHeader(req, store.delete(key, context(req), options))
          .thenApply(Reply::written);
    }
    return store.get(key, RequestOptions.DEFAULT)
        .thenCompose(read -> store.delete(key, read.context(), options))
        .thenApply(Reply::written);
  }

  private Key key(String rawBucket, String rawKey) {
    String bucket = Uris.decodeSegment(rawBucket, "bucket");
    String key = Uris.decodeSegment(rawKey, "key");
    int keyBytes = key.getBytes(StandardCharsets.UTF_8).length;
    if (keyBytes > settings.maxKeyBytes()) {
      throw new RingkvException(ErrorCode.TOO_LARGE, "key of " + keyBytes
          + " bytes exceeds the limit of " + settings.maxKeyBytes() + " bytes");
    }
    return Key.of(bucket, key);
  }

  /**
   * The X-Context header as a token. The store decodes it (once, before anything is sent); a
   * token it refuses is reported naming the header, by {@link #namingTheHeader}.
   */
  private static Context context(FullHttpRequest req) {
    String header = req.headers().get(CONTEXT_HEADER);
    try {
      return Context.parse(header);
    } catch (InvalidContextException e) {
      throw badHeader(header, e);
    }
  }

  /** The write's outcome, with a refused context reported as the X-Context header's fault. */
  private static <T> CompletableFuture<T> namingTheHeader(FullHttpRequest req,
      CompletableFuture<T> write) {
    return write.exceptionally(error -> {
      Throwable t = error instanceof CompletionException && error.getCause() != null
          ? error.getCause() : error;
      if (t instanceof InvalidContextException e) {
        throw badHeader(req.headers().get(CONTEXT_HEADER), e);
      }
      throw error instanceof CompletionException c ? c : new CompletionException(error);
    });
  }

  private static InvalidContextException badHeader(String header, InvalidContextException e) {
    return new InvalidContextException("X-Context header '" + Uris.abbreviate(header)
        + "' is not a context from a ringkv get: " + e.getMessage());
  }

  private static RequestOptions writeOptions(QueryStringDecoder uri) {
    return new RequestOptions(0, quorumParameter(uri, "w"), 0, primariesParameter(uri, "pw"),
        null);
  }

  /** A pr or pw: absent is 0 (no primary required); present must be an integer >= 0. */
  private static int primariesParameter(QueryStringDecoder uri, String name) {
    String text = parameter(uri, name);
    if (text == null) {
      return 0;
    }
    int n = integer(name, text);
    if (n < 0) {
      throw new RingkvException(ErrorCode.INVALID_QUORUM, "query parameter " + name + "=" + n
          + " breaks the rule 0 <= " + name + " <= n");
    }
    return n;
  }

  /** An r or w override: absent is 0 (the bucket's own); present must be an integer >= 1. */
  private static int quorumParameter(QueryStringDecoder uri, String name) {
    String text = parameter(uri, name);
    if (text == null) {
      return 0;
    }
    int n = integer(name, text);
    if (n < 1) {
      throw new RingkvException(ErrorCode.INVALID_QUORUM, "query parameter " + name + "=" + n
          + " breaks the quorum rule 1 <= " + name + " <= n");
    }
    return n;
  }

  /** The last value of query parameter {@code name}, or null when absent. */
  private static String parameter(QueryStringDecoder uri, String name) {
    Map<String, List<String>> params;
    try {
      params = uri.parameters();
    } catch (IllegalArgumentException e) {
      throw invalid("bad URI encoding in the query: " + e.getMessage());
    }
    List<String> values = params.get(name);
    return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
  }

  private static int integer(String name, String text) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw invalid("query parameter " + name + "='" + Uris.abbreviate(text)
          + "' is not an integer");
    }
  }

  // ---------------------------------------------------------------- errors

  private static Reply malformedHttp(Throwable cause) {
    if (cause instanceof TooLongFrameException) {
      return Reply.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "request too large: "
          + cause.getMessage()).closing();
    }
    return Reply.error(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request: "
        + cause.getMessage()).closing();
  }

  static Reply failure(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof RingkvException e) {
      HttpResponseStatus status = status(e.code());
      if (status == HttpResponseStatus.INTERNAL_SERVER_ERROR) {
        log.error("request failed inside ringkv", e);
      }
      return Reply.error(status, e.getMessage());
    }
    log.error("request failed with an unexpected error (a bug)", t);
    return Reply.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + t);
  }

  static HttpResponseStatus status(ErrorCode code) {
    switch (code) {
      case INVALID_ARGUMENT:
      case INVALID_QUORUM:
      case INVALID_CONTEXT:
        return HttpResponseStatus.BAD_REQUEST;
      case TOO_LARGE:
        return HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
      case STORAGE_FULL:
        return HttpResponseStatus.INSUFFICIENT_STORAGE;
      case QUORUM_NOT_REACHED:
      case UNAVAILABLE:
        return HttpResponseStatus.SERVICE_UNAVAILABLE;
      default:
        return HttpResponseStatus.INTERNAL_SERVER_ERROR;
    }
  }

  private static RingkvException invalid(String message) {
    return new RingkvException(ErrorCode.INVALID_ARGUMENT, message);
  }

  private static <T> CompletableFuture<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
