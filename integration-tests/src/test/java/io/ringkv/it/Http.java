package io.ringkv.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A tiny HTTP client for the node API, with a timeout on every request. */
final class Http {
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  private Http() {}

  static HttpResponse<String> send(String method, String url, String body, String context)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (context != null) {
      b.header("X-Context", context);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return send("GET", url, null, null);
  }

  static HttpResponse<String> put(String url, String body, String context)
      throws IOException, InterruptedException {
    return send("PUT", url, body, context);
  }

  static String context(HttpResponse<?> r) {
    return r.headers().firstValue("X-Context").orElse(null);
  }
}
