package io.ringkv.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * One node's HTTP API, for the client commands: blocking requests with a timeout, and the rules
 * that turn what went wrong into one line and an exit code ({@link ExitCodes}).
 */
public final class NodeClient {
  /** The header that carries the causal context (DESIGN.md, HTTP API). */
  public static final String CONTEXT_HEADER = "X-Context";

  private final NodeAddress node;
  private final Duration timeout;
  private final HttpClient http;

  public NodeClient(NodeAddress node, Duration timeout) {
    this.node = node;
    this.timeout = timeout;
    this.http = newHttpClient(timeout, null);
  }

  /** An HTTP/1.1 client (no h2c upgrade attempts), no redirects, the given connect timeout. */
  public static HttpClient newHttpClient(Duration connectTimeout, Executor executor) {
    HttpClient.Builder b = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(connectTimeout);
    if (executor != null) {
      b.executor(executor);
    }
    return b.build();
  }

  /** {@code /buckets/{b}/keys/{k}} with both segments percent-encoded. */
  public static String keyPath(String bucket, String key) {
    return "/buckets/" + segment(bucket) + "/keys/" + segment(key);
  }

  /** A path segment or query value, percent-encoded (space as {@code %20}). */
  public static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  public NodeAddress node() {
    return node;
  }

  /** Sends a request and waits for the whole answer; failures to talk become {@link CliFailure}. */
  public Response send(String method, String pathAndQuery, Map<String, String> headers, byte[] body) {
    URI uri = node.uri(pathAndQuery);
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    try {
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Response(r.statusCode(), r.headers().firstValue(CONTEXT_HEADER).orElse(null),
          r.headers().firstValue("Content-Type").orElse(""), r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliFailure(ExitCodes.FAILED, "interrupted while waiting for node " + node);
    } catch (IOException e) {
      throw failure(node, e, timeout);
    }
  }

  /**
   * What a failure to talk to {@code node} means: connection refused, unknown host or no
   * connection in time → {@link ExitCodes#UNREACHABLE}; no answer in time or a dropped
   * connection → {@link ExitCodes#UNAVAILABLE}.
   */
  public static CliFailure failure(NodeAddress node, Throwable thrown, Duration timeout) {
    Throwable t = unwrap(thrown);
    if (t instanceof HttpConnectTimeoutException) {
      return new CliFailure(ExitCodes.UNREACHABLE, "cannot reach node " + node
          + " (no connection within " + Durations.format(timeout) + ")");
    }
    if (t instanceof HttpTimeoutException) {
      return new CliFailure(ExitCodes.UNAVAILABLE, "node " + node + " did not answer within "
          + Durations.format(timeout));
    }
    if (t instanceof ConnectException || t.getCause() instanceof ConnectException) {
      Throwable root = rootCause(t);
      String why = root instanceof UnresolvedAddressException || root instanceof UnknownHostException
          ? "unknown host" : "connection refused";
      return new CliFailure(ExitCodes.UNREACHABLE, "cannot reach node " + node + " (" + why + ")");
    }
    if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException
        || rootCause(t) instanceof UnresolvedAddressException) {
      return new CliFailure(ExitCodes.UNREACHABLE, "cannot reach node " + node + " (unknown host)");
    }
    String detail = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return new CliFailure(ExitCodes.UNAVAILABLE, "node " + node + " dropped the request: "
        + oneLine(detail));
  }

  /** A status that is not the expected one: {@code <message> (HTTP <status>)}, 503 → exit 3, others → 1. */
  public static CliFailure failure(Response r) {
    int code = r.status() == 503 ? ExitCodes.UNAVAILABLE : ExitCodes.FAILED;
    return new CliFailure(code, errorMessage(r.status(), r.body()) + " (HTTP " + r.status() + ")");
  }

  /** The {@code error} of a JSON error body, else the body's text, else a generic phrase. */
  public static String errorMessage(int status, byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8).trim();
    if (!text.isEmpty()) {
      try {
        Object json = Json.parse(text);
        if (json instanceof Map && ((Map<?, ?>) json).get("error") != null) {
          return oneLine(String.valueOf(((Map<?, ?>) json).get("error")));
        }
      } catch (IllegalArgumentException notJson) {
        // plain text is shown as it is
      }
      return oneLine(text.length() > 300 ? text.substring(0, 300) + "..." : text);
    }
    return "the node answered " + status + " without a message";
  }

  static String oneLine(String s) {
    return s.replaceAll("\\s*\\R\\s*", " ").trim();
  }

  private static Throwable unwrap(Throwable t) {
    Throwable x = t;
    while ((x instanceof CompletionException || x instanceof ExecutionException)
        && x.getCause() != null) {
      x = x.getCause();
    }
    return x;
  }

  private static Throwable rootCause(Throwable t) {
    Throwable x = t;
    while (x.getCause() != null && x.getCause() != x) {
      x = x.getCause();
    }
    return x;
  }

  /**
   * One answer.
   *
   * @param context the {@code X-Context} header, or null
   */
  public record Response(int status, String context, String contentType, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }
}
