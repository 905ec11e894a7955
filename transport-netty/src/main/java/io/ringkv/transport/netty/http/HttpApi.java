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
import io.ringkv.transport.netty.internal.KeyRequests;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
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

  static final String UNMATCHED = Route.UNMATCHED;
  static final String CONTEXT_HEADER = "X-Context";
  static final String REPLICAS_HEADER = "X-Ringkv-Replicas";
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final KeyRequests requests;
  private final ClusterView cluster;
  private final HttpSettings settings;
  private final PrometheusMeterRegistry registry;

  HttpApi(KvStore store, ClusterView cluster, HttpSettings settings,
      PrometheusMeterRegistry registry) {
    this.requests = new KeyRequests(store, settings.maxKeyBytes(), settings.maxValueBytes());
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
    Route route = Route.parse(path);
    HttpMethod method = req.method();
    if (!route.matched()) {
      return done(Reply.error(HttpResponseStatus.NOT_FOUND, "unknown route: " + path));
    }
    ex.route = route.template();
    switch (route.template()) {
      case Route.KEY:
        if (route.key() == null) {
          throw invalid("missing key: use /buckets/{bucket}/keys/{key}");
        }
        if (method.equals(HttpMethod.GET)) {
          return get(key(route), uri);
        } else if (method.equals(HttpMethod.PUT)) {
          return put(key(route), uri, req);
        } else if (method.equals(HttpMethod.DELETE)) {
          return delete(key(route), uri, req);
        }
        return done(Reply.methodNotAllowed(method.name(), Route.KEY, "GET, PUT, DELETE"));
      case Route.REPLICAS:
        if (!method.equals(HttpMethod.GET)) {
          return done(Reply.methodNotAllowed(method.name(), Route.REPLICAS, "GET"));
        }
        return ReplicasView.render(key(route), cluster, settings.replicasTimeout(), timer);
      case Route.JOIN:
      case Route.LEAVE:
      case Route.REPAIR:
      case Route.REMOVE:
        if (!method.equals(HttpMethod.POST)) {
          return done(Reply.methodNotAllowed(method.name(), route.template(), "POST"));
        }
        return admin(route, uri);
      default:
        if (!method.equals(HttpMethod.GET)) {
          return done(Reply.methodNotAllowed(method.name(), route.template(), "GET"));
        }
        return done(view(route));
    }
  }

  private CompletableFuture<Reply> admin(Route route, QueryStringDecoder uri) {
    CompletableFuture<String> action;
    boolean plan = flag(uri, "plan");
    if (route.template().equals(Route.JOIN)) {
      List<String> seed = uri.parameters().get("seed");
      if (seed == null || seed.size() != 1 || seed.get(0).isBlank()) {
        throw invalid("join needs one seed: POST /cluster/join?seed=host:port");
      }
      if (plan) {
        return planned(cluster.joinPlan(seed.get(0)));
      }
      action = cluster.join(seed.get(0));
    } else if (route.template().equals(Route.REMOVE)) {
      List<String> node = uri.parameters().get("node");
      if (node == null || node.size() != 1 || node.get(0).isBlank()) {
        throw invalid("remove needs one node id: POST /cluster/remove?node=ID");
      }
      if (plan) {
        return planned(cluster.removePlan(node.get(0)));
      }
      action = cluster.remove(node.get(0));
    } else if (route.template().equals(Route.LEAVE) && plan) {
      return planned(cluster.leavePlan());
    } else if (route.template().equals(Route.REPAIR)) {
      List<String> partition = uri.parameters().get("partition");
      OptionalInt p = OptionalInt.empty();
      if (partition != null) {
        if (partition.size() != 1 || !partition.get(0).matches("[0-9]{1,9}")) {
          throw invalid("partition must be one number: POST /cluster/repair?partition=P, was "
              + partition);
        }
        p = OptionalInt.of(Integer.parseInt(partition.get(0)));
      }
      action = cluster.repair(p, flag(uri, "wait"));
    } else {
      action = cluster.leave();
    }
    return action.thenApply(message -> Reply.json(HttpResponseStatus.OK,
        Json.field("status", message)));
  }

  private static CompletableFuture<Reply> planned(CompletableFuture<PlanView> plan) {
    return plan.thenApply(p -> Reply.json(HttpResponseStatus.OK, JsonViews.plan(p)));
  }

  /** A true/false query flag, false when absent; anything else is refused naming it. */
  private static boolean flag(QueryStringDecoder uri, String name) {
    List<String> v = uri.parameters().get(name);
    if (v == null) {
      return false;
    }
    if (v.size() == 1 && (v.get(0).equals("true") || v.get(0).equals("false"))) {
      return v.get(0).equals("true");
    }
    throw invalid(name + " must be true or false, was " + v);
  }

  private Reply view(Route route) {
    switch (route.template()) {
      case Route.RING:
        return Reply.json(HttpResponseStatus.OK, JsonViews.ring(cluster.ring()));
      case Route.MEMBERS:
        return Reply.json(HttpResponseStatus.OK,
            JsonViews.members(cluster.members(), cluster.handoff()));
      case Route.HEALTH:
        return Reply.json(HttpResponseStatus.OK, JsonViews.health(cluster));
      case Route.METRICS:
        return Reply.plain(HttpResponseStatus.OK, PROMETHEUS_TEXT,
            registry.scrape().getBytes(StandardCharsets.UTF_8));
      default:
        throw new AssertionError("no view for route " + route.template());
    }
  }

  /** The route template of a request target, for metrics of requests never routed. */
  static String routeOf(String uri) {
    return Route.parse(new QueryStringDecoder(uri).rawPath()).template();
  }

  // ---------------------------------------------------------------- the key routes

  private CompletableFuture<Reply> get(Key key, QueryStringDecoder uri) {
    RequestOptions options = KeyRequests.readOptions(integer(uri, "r"), integer(uri, "pr"));
    return requests.get(key, options).thenApply(HttpApi::found);
  }

  private static Reply found(GetResult r) {
    if (!r.isFound()) {
      return Reply.json(HttpResponseStatus.NOT_FOUND, Json.error("not found"), r.context());
    }
    if (!r.hasConflict()) {
      return Reply.value(r.value().toByteArray(), r.context());
    }
    return Reply.json(HttpResponseStatus.MULTIPLE_CHOICES, JsonViews.siblings(r), r.context());
  }

  private CompletableFuture<Reply> put(Key key, QueryStringDecoder uri, FullHttpRequest req) {
    RequestOptions options = KeyRequests.writeOptions(integer(uri, "w"), integer(uri, "pw"));
    Context context = context(req);
    int length = req.content().readableBytes();
    requests.checkValue(length);
    Bytes value = req.content().hasArray()
        ? Bytes.of(req.content().array(), req.content().arrayOffset() + req.content().readerIndex(),
            length)
        : Bytes.of(io.netty.buffer.ByteBufUtil.getBytes(req.content()));
    return namingTheHeader(req, requests.put(key, context, value, options))
        .thenApply(Reply::written);
  }

  /** With X-Context: a tombstone superseding it. Without: read first, then delete what was read. */
  private CompletableFuture<Reply> delete(Key key, QueryStringDecoder uri, FullHttpRequest req) {
    RequestOptions options = KeyRequests.writeOptions(integer(uri, "w"), integer(uri, "pw"));
    Context context = req.headers().contains(CONTEXT_HEADER) ? context(req) : null;
    return namingTheHeader(req, requests.delete(key, context, options)).thenApply(Reply::written);
  }

  private Key key(Route route) {
    return requests.key(Uris.decodeSegment(route.bucket(), "bucket"),
        Uris.decodeSegment(route.key(), "key"));
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
    return KeyRequests.namingTheContext(write,
        e -> badHeader(req.headers().get(CONTEXT_HEADER), e));
  }

  private static InvalidContextException badHeader(String header, InvalidContextException e) {
    return KeyRequests.badContext("X-Context header", Uris.abbreviate(header), e);
  }

  /** Query parameter {@code name} as an integer, or null when absent. */
  private static Integer integer(QueryStringDecoder uri, String name) {
    Map<String, List<String>> params;
    try {
      params = uri.parameters();
    } catch (IllegalArgumentException e) {
      throw invalid("bad URI encoding in the query: " + e.getMessage());
    }
    List<String> values = params.get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    String text = values.get(values.size() - 1);
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
