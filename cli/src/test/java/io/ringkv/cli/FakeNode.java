package io.ringkv.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for a node's HTTP API (DESIGN.md) on 127.0.0.1, port 0, for the command-line tests:
 * an in-memory key-value store answering {@code PUT} with 204 + {@code X-Context}, {@code GET}
 * with 200 + {@code X-Context} or 404, {@code DELETE} with 204, plus {@code /health}; canned
 * answers ({@link #answer}) take precedence, {@link #hang} makes a route never answer. Every
 * request is recorded.
 */
public final class FakeNode implements AutoCloseable {
  /** A request as the node saw it; {@code path} is the raw (still percent-encoded) path. */
  public record Request(String method, String path, String query, Map<String, List<String>> headers,
      byte[] body) {
    public String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private record Canned(int status, Map<String, String> headers, byte[] body) {
  }

  static {
    // The JDK server writes headers and body separately: without TCP_NODELAY, Nagle and the
    // client's delayed ACK add ~40 ms to every answer with a body, which would swamp the bench.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(8);
  private final Map<String, Canned> canned = new ConcurrentHashMap<>();
  private final Map<String, Boolean> hanging = new ConcurrentHashMap<>();
  private final Map<String, byte[]> store = new ConcurrentHashMap<>();
  private final Map<String, String> contexts = new ConcurrentHashMap<>();
  private final AtomicLong versions = new AtomicLong();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch closing = new CountDownLatch(1);

  private FakeNode() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  public static FakeNode start() {
    try {
      return new FakeNode();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the fake node on 127.0.0.1", e);
    }
  }

  /** {@code 127.0.0.1:<port>}. */
  public String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** From now on, {@code method path} (path without query) answers this. */
  public FakeNode answer(String method, String path, int status, Map<String, String> headers,
      String body) {
    canned.put(method + " " + path, new Canned(status, headers,
        body.getBytes(StandardCharsets.UTF_8)));
    return this;
  }

  /** From now on, {@code method path} never answers (until {@link #close}). */
  public FakeNode hang(String method, String path) {
    hanging.put(method + " " + path, true);
    return this;
  }

  /** Puts a value straight into the store with the given context. */
  public FakeNode stored(String bucket, String key, byte[] value, String context) {
    store.put(bucket + "/" + key, value);
    contexts.put(bucket + "/" + key, context);
    return this;
  }

  public List<Request> requests() {
    return new ArrayList<>(requests);
  }

  /** The requests to a path prefix, e.g. {@code /buckets/}. */
  public List<Request> requests(String pathPrefix) {
    List<Request> out = new ArrayList<>();
    for (Request r : requests) {
      if (r.path().startsWith(pathPrefix)) {
        out.add(r);
      }
    }
    return out;
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    threads.shutdownNow();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      Request request = new Request(method, path, exchange.getRequestURI().getRawQuery(),
          Map.copyOf(exchange.getRequestHeaders()), body);
      requests.add(request);
      String route = method + " " + path;
      if (hanging.containsKey(route)) {
        closing.await();
        return;
      }
      Canned c = canned.get(route);
      if (c != null) {
        c.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        send(exchange, c.status(), c.body());
        return;
      }
      defaults(exchange, request);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      exchange.close();
    }
  }

  private void defaults(HttpExchange exchange, Request r) throws IOException {
    if (r.path().equals("/health")) {
      send(exchange, 200, "{\"status\": \"ok\"}".getBytes(StandardCharsets.UTF_8));
      return;
    }
    String[] parts = r.path().split("/");
    if (parts.length != 5 || !parts[1].equals("buckets") || !parts[3].equals("keys")) {
      send(exchange, 404, ("{\"error\": \"no route " + r.path() + "\"}")
          .getBytes(StandardCharsets.UTF_8));
      return;
    }
    String id = parts[2] + "/" + parts[4];
    switch (r.method()) {
      case "PUT": {
        String context = "ctx" + versions.incrementAndGet();
        store.put(id, r.body());
        contexts.put(id, context);
        exchange.getResponseHeaders().add("X-Context", context);
        send(exchange, 204, null);
        return;
      }
      case "GET": {
        byte[] value = store.get(id);
        if (value == null) {
          send(exchange, 404, "{\"error\": \"not found\"}".getBytes(StandardCharsets.UTF_8));
          return;
        }
        exchange.getResponseHeaders().add("X-Context", contexts.get(id));
        send(exchange, 200, value);
        return;
      }
      case "DELETE":
        if (r.header("X-Context") == null) {
          send(exchange, 400, "{\"error\": \"a delete needs the X-Context header\"}"
              .getBytes(StandardCharsets.UTF_8));
          return;
        }
        store.remove(id);
        send(exchange, 204, null);
        return;
      default:
        send(exchange, 405, "{\"error\": \"method not allowed\"}".getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    if (body == null || body.length == 0 || status == 204) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
