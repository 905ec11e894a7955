package io.ringkv.transport.netty.client;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.ringkv.protocol.proto.Response;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Request counts and latencies of the binary client protocol: one {@link Timer}
 * {@code ringkv.client.requests} per operation and outcome (Prometheus:
 * {@code ringkv_client_requests_seconds_count{op="get",outcome="ok"}}; the outcome is {@code ok}
 * or the error code in lower case, the operation {@code malformed} for a frame that was no
 * request). Labels come from fixed sets, never from client input.
 */
final class ClientMetrics {
  static final String NAME = "ringkv.client.requests";
  private static final Set<String> OPS = Set.of("get", "put", "delete", "ring", "none",
      "malformed");

  private final MeterRegistry registry;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  ClientMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void record(String op, Response.Builder answer, long nanos) {
    String o = OPS.contains(op) ? op : "other";
    String outcome = answer.hasError()
        ? answer.getError().getCode().name().toLowerCase(Locale.ROOT) : "ok";
    String key = o + ' ' + outcome;
    Timer timer = timers.get(key);
    if (timer == null) {
      timer = timers.computeIfAbsent(key, k -> Timer.builder(NAME)
          .description("binary client protocol requests by operation and outcome")
          .tag("op", o).tag("outcome", outcome).register(registry));
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }
}
