package io.ringkv.cli.bench;

import io.ringkv.cli.Json;
import io.ringkv.cli.NodeAddress;
import io.ringkv.cli.NodeClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * Runs the load of a {@link BenchSettings}: {@code concurrency} lanes, each with one request in
 * flight, on the asynchronous {@link HttpClient} (a few pool threads, none per request). In a
 * closed loop a lane starts its next operation when the previous one ends; at a fixed
 * {@code rate} operations get scheduled start times and their latency counts from that time, so
 * a stalled server shows up in the percentiles instead of slowing the load down (coordinated
 * omission).
 */
final class LoadGenerator {
  private final BenchSettings settings;
  private final PrintStream progressOut;
  private final ExecutorService executor;
  private final ScheduledExecutorService scheduler;
  private final HttpClient http;
  private final Window warmup = new Window();
  private final Window measured = new Window();
  private final AtomicLong roundRobin = new AtomicLong();
  private final AtomicLong tickets = new AtomicLong();
  private final AtomicLong permits;
  private final CountDownLatch lanesDone;
  private final double periodNanos;
  private final AtomicReference<Throwable> broken = new AtomicReference<>();
  private long startNanos;
  private long warmupEndNanos;
  private long endNanos;

  LoadGenerator(BenchSettings settings, PrintStream progressOut) {
    this.settings = settings;
    this.progressOut = progressOut;
    int threads = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
    this.executor = Executors.newFixedThreadPool(threads, daemons("ringkv-bench-"));
    this.scheduler = settings.rate() > 0
        ? Executors.newSingleThreadScheduledExecutor(daemons("ringkv-bench-schedule-")) : null;
    this.http = NodeClient.newHttpClient(settings.timeout(), executor);
    this.permits = new AtomicLong(settings.requests());
    this.lanesDone = new CountDownLatch(settings.concurrency());
    this.periodNanos = settings.rate() > 0 ? 1e9 / settings.rate() : 0;
  }

  /** Runs to the end (duration or request count), printing a progress line every interval. */
  BenchResult run() throws InterruptedException {
    startNanos = System.nanoTime();
    warmupEndNanos = startNanos + settings.warmup().toNanos();
    endNanos = settings.duration() == null ? Long.MAX_VALUE
        : warmupEndNanos + settings.duration().toNanos();
    try {
      SplittableRandom seeds = new SplittableRandom(settings.seed());
      for (int i = 0; i < settings.concurrency(); i++) {
        Lane lane = new Lane(seeds.split(), settings.valueSize());
        executor.execute(() -> next(lane));
      }
      long tick = settings.progress().toNanos();
      long nextTick = startNanos + tick;
      long lastCompleted = 0;
      long lastErrors = 0;
      long lastTick = startNanos;
      while (!lanesDone.await(Math.max(0, nextTick - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        long now = System.nanoTime();
        Map<Op, Histogram> interval = drainBoth();
        long completed = warmup.completed() + measured.completed();
        long errors = warmup.failed() + measured.failed();
        progressOut.println(BenchReport.progressLine(now - startNanos,
            (completed - lastCompleted) * 1e9 / (now - lastTick), errors - lastErrors, interval,
            now - warmupEndNanos < 0));
        lastCompleted = completed;
        lastErrors = errors;
        lastTick = now;
        nextTick += tick;
      }
      drainBoth();
      if (broken.get() != null) {
        Throwable t = broken.get();
        throw new IllegalStateException("the load generator failed: " + t, t);
      }
      long last = measured.lastCompletionNanos();
      long measuredNanos = last == Long.MIN_VALUE ? 0 : Math.max(0, last - warmupEndNanos);
      Map<Op, BenchResult.OpResult> ops = new EnumMap<>(Op.class);
      for (Op op : Op.values()) {
        ops.put(op, new BenchResult.OpResult(measured.total(op), measured.errors(op)));
      }
      return new BenchResult(settings, measuredNanos, ops);
    } finally {
      if (scheduler != null) {
        scheduler.shutdownNow();
      }
      executor.shutdownNow();
    }
  }

  private Map<Op, Histogram> drainBoth() {
    Map<Op, Histogram> a = warmup.drain();
    Map<Op, Histogram> b = measured.drain();
    a.forEach((op, h) -> h.add(b.get(op)));
    return a;
  }

  /**
   * Decides the lane's next operation: when it starts and in which window it counts. A lane
   * that hits a bug stops (and the run reports it) instead of leaving the run waiting forever.
   */
  private void next(Lane lane) {
    try {
      schedule(lane);
    } catch (RuntimeException e) {
      broken.compareAndSet(null, e);
      lanesDone.countDown();
    }
  }

  private void schedule(Lane lane) {
    long now = System.nanoTime();
    long intended = periodNanos > 0
        ? startNanos + (long) (tickets.getAndIncrement() * periodNanos) : now;
    Window window = windowFor(intended);
    if (window == null) {
      lanesDone.countDown();
      return;
    }
    long delay = intended - now;
    if (delay > 0) {
      scheduler.schedule(() -> startOrStop(lane, window, intended), delay, TimeUnit.NANOSECONDS);
    } else {
      start(lane, window, intended);
    }
  }

  private Window windowFor(long intended) {
    if (intended - warmupEndNanos < 0) {
      return warmup;
    }
    if (settings.duration() == null) {
      return permits.getAndDecrement() > 0 ? measured : null;
    }
    return intended - endNanos < 0 ? measured : null;
  }

  private void startOrStop(Lane lane, Window window, long intended) {
    try {
      start(lane, window, intended);
    } catch (RuntimeException e) {
      broken.compareAndSet(null, e);
      lanesDone.countDown();
    }
  }

  private void start(Lane lane, Window window, long intended) {
    String key = "key" + lane.random.nextInt(settings.keys());
    boolean read = lane.random.nextDouble() < settings.readRatio();
    NodeAddress node = settings.nodes().get(
        (int) Math.floorMod(roundRobin.getAndIncrement(), (long) settings.nodes().size()));
    CompletableFuture<Outcome> op;
    if (read) {
      op = send(Op.GET, node, key, null, lane, window, intended, false);
    } else if (!settings.rmw()) {
      op = send(Op.PUT, node, key, null, lane, window, intended, false);
    } else {
      op = send(Op.GET, node, key, null, lane, window, intended, true)
          .thenCompose(got -> got.ok()
              ? send(Op.PUT, node, key, got.context(), lane, window, System.nanoTime(), false)
              : CompletableFuture.completedFuture(got));
    }
    op.whenCompleteAsync((outcome, thrown) -> next(lane), executor);
  }

  private CompletableFuture<Outcome> send(Op op, NodeAddress node, String key, String context,
      Lane lane, Window window, long startedNanos, boolean wantContext) {
    HttpRequest.Builder b = HttpRequest.newBuilder(
        node.uri(NodeClient.keyPath(settings.bucket(), key))).timeout(settings.timeout());
    if (op == Op.GET) {
      b.GET();
    } else {
      b.PUT(HttpRequest.BodyPublishers.ofByteArray(lane.value))
          .header("Content-Type", "application/octet-stream");
      if (context != null) {
        b.header(NodeClient.CONTEXT_HEADER, context);
      }
    }
    CompletableFuture<? extends HttpResponse<?>> sent = wantContext
        ? http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString())
        : http.sendAsync(b.build(), HttpResponse.BodyHandlers.discarding());
    return sent.handle((response, thrown) -> {
      long now = System.nanoTime();
      if (thrown != null) {
        window.error(op, label(thrown), now);
        return Outcome.FAILED;
      }
      int status = response.statusCode();
      boolean ok = op == Op.GET ? status == 200 || status == 300 || status == 404
          : status / 100 == 2;
      if (!ok) {
        window.error(op, String.valueOf(status), now);
        return Outcome.FAILED;
      }
      window.success(op, now - startedNanos, now);
      return new Outcome(true, wantContext ? context(response) : null);
    });
  }

  /** The context a read-modify-write passes on: the header, or a 300 body's {@code context}. */
  private static String context(HttpResponse<?> response) {
    String header = response.headers().firstValue(NodeClient.CONTEXT_HEADER).orElse(null);
    if (header != null || response.statusCode() != 300) {
      return header;
    }
    try {
      Object body = Json.parse(String.valueOf(response.body()));
      Object ctx = body instanceof Map ? ((Map<?, ?>) body).get("context") : null;
      return ctx == null ? null : ctx.toString();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** How a request failed without a status: {@code timeout}, {@code connect}, {@code io}, ... */
  static String label(Throwable thrown) {
    Throwable t = thrown;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof HttpConnectTimeoutException) {
      return "connect-timeout";
    }
    if (t instanceof HttpTimeoutException) {
      return "timeout";
    }
    if (t instanceof ConnectException) {
      return "connect";
    }
    if (t instanceof IOException) {
      return "io";
    }
    return t.getClass().getSimpleName().toLowerCase(Locale.ROOT);
  }

  private static ThreadFactory daemons(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** One in-flight slot: its own random sequence (seeded from --seed) and value bytes. */
  private static final class Lane {
    final SplittableRandom random;
    final byte[] value;

    Lane(SplittableRandom random, int valueSize) {
      this.random = random;
      this.value = new byte[valueSize];
      String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
      for (int i = 0; i < valueSize; i++) {
        value[i] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
      }
    }
  }

  private record Outcome(boolean ok, String context) {
    static final Outcome FAILED = new Outcome(false, null);
  }
}
