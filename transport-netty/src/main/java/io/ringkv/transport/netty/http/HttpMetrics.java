package io.ringkv.transport.netty.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Request counts and latencies of the HTTP API: one {@link Timer} {@code ringkv.http.requests}
 * per route template, method and status (Prometheus: {@code ringkv_http_requests_seconds_count},
 * {@code _sum}, {@code _max}). Labels come from fixed sets, never from client input.
 */
final class HttpMetrics {
  static final String NAME = "ringkv.http.requests";
  private static final Set<String> METHODS =
      Set.of("GET", "PUT", "DELETE", "POST", "HEAD", "OPTIONS", "PATCH", "TRACE", "CONNECT");

  private final MeterRegistry registry;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  HttpMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void record(String route, String method, int status, long nanos) {
    String m = METHODS.contains(method) ? method : "OTHER";
    String key = route + ' ' + m + ' ' + status;
    Timer timer = timers.get(key);
    if (timer == null) {
      timer = timers.computeIfAbsent(key, k -> Timer.builder(NAME)
          .description("HTTP API requests by route, method and status")
          .tag("route", route).tag("method", m).tag("status", Integer.toString(status))
          .register(registry));
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }
}
