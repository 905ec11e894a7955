package io.ringkv.cli.bench;

import io.ringkv.cli.Durations;
import io.ringkv.cli.Json;
import io.ringkv.cli.NodeAddress;
import io.ringkv.cli.Table;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/** The text a bench run prints: its header, progress lines, and the summary (text or JSON). */
final class BenchReport {
  /** The percentiles reported, with their names. */
  private static final double[] PERCENTILES = {50.0, 95.0, 99.0, 99.9};
  private static final String[] PERCENTILE_NAMES = {"p50", "p95", "p99", "p99.9"};

  private BenchReport() {
  }

  /** Two lines: the workload, then the load model and the length of the run. */
  static String header(BenchSettings s) {
    String nodes = s.nodes().stream().map(NodeAddress::toString).collect(Collectors.joining(", "));
    String load = s.rate() > 0
        ? "fixed rate " + number(s.rate(), 1) + " ops/s (latency from the scheduled start), at most "
            + s.concurrency() + " in flight"
        : "closed loop, concurrency " + s.concurrency();
    String length = s.duration() != null ? Durations.format(s.duration())
        : s.requests() + " requests";
    return "ringkv bench: " + s.nodes().size() + (s.nodes().size() == 1 ? " node (" : " nodes (")
        + nodes + "), bucket " + s.bucket() + ", " + s.keys() + " keys, " + s.valueSize()
        + "-byte values, read ratio " + number(s.readRatio(), 2) + ", "
        + (s.rmw() ? "read-modify-write puts" : "blind puts") + System.lineSeparator()
        + load + "; " + length + " after a " + Durations.format(s.warmup()) + " warm-up; seed "
        + s.seed();
  }

  /** {@code [  5.0s] 4123 ops/s  errors 0  p99 get 1.234 ms  put 2.001 ms}, then {@code (warm-up)}. */
  static String progressLine(long elapsedNanos, double opsPerSecond, long errors,
      Map<Op, Histogram> interval, boolean inWarmup) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "[%6.1fs] %.0f ops/s  errors %d",
        elapsedNanos / 1e9, opsPerSecond, errors));
    String p99 = "  p99";
    for (Op op : Op.values()) {
      Histogram h = interval.get(op);
      if (h.getTotalCount() > 0) {
        line.append(p99).append(' ').append(op.label()).append(' ')
            .append(millis(h.getValueAtPercentile(99.0))).append(" ms");
        p99 = "";
      }
    }
    if (inWarmup) {
      line.append("  (warm-up)");
    }
    return line.toString();
  }

  /** The summary table: one row per operation and a total row, then the errors by status. */
  static String text(BenchResult r) {
    String nl = System.lineSeparator();
    StringBuilder out = new StringBuilder();
    out.append("measured ").append(r.succeeded() + r.failed()).append(" operations in ")
        .append(number(r.measuredSeconds(), 2)).append(" s: ").append(r.succeeded())
        .append(" ok, ").append(r.failed()).append(" failed").append(nl).append(nl);
    Table table = new Table("op", ">count", ">ops/s", ">p50 ms", ">p95 ms", ">p99 ms", ">p99.9 ms",
        ">max ms", ">errors");
    for (Op op : Op.values()) {
      BenchResult.OpResult o = r.ops().get(op);
      Histogram h = o.latencyMicros();
      List<Object> row = new ArrayList<>();
      row.add(op.label());
      row.add(h.getTotalCount());
      row.add(number(perSecond(h.getTotalCount(), r), 1));
      for (double p : PERCENTILES) {
        row.add(h.getTotalCount() == 0 ? "-" : millis(h.getValueAtPercentile(p)));
      }
      row.add(h.getTotalCount() == 0 ? "-" : millis(h.getMaxValue()));
      row.add(o.errorCount());
      table.row(row.toArray());
    }
    table.row("total", r.succeeded(), number(perSecond(r.succeeded(), r), 1), "", "", "", "", "",
        r.failed());
    out.append(table.render());
    List<String> errors = new ArrayList<>();
    for (Op op : Op.values()) {
      r.ops().get(op).errors().entrySet().stream().sorted(Map.Entry.comparingByKey())
          .forEach(e -> errors.add(op.label() + " " + e.getKey() + " x" + e.getValue()));
    }
    out.append("errors by status: ").append(errors.isEmpty() ? "none" : String.join(", ", errors))
        .append(nl);
    return out.toString();
  }

  /** The same summary as one JSON object (see {@code ringkv bench --help}). */
  static String json(BenchResult r) {
    BenchSettings s = r.settings();
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("nodes", s.nodes().stream().map(NodeAddress::toString).collect(Collectors.toList()));
    doc.put("bucket", s.bucket());
    doc.put("keys", s.keys());
    doc.put("valueSize", s.valueSize());
    doc.put("readRatio", s.readRatio());
    doc.put("rmw", s.rmw());
    doc.put("concurrency", s.concurrency());
    doc.put("rate", s.rate() > 0 ? s.rate() : null);
    doc.put("seed", s.seed());
    doc.put("warmupSeconds", s.warmup().toNanos() / 1e9);
    doc.put("measuredSeconds", round(r.measuredSeconds(), 3));
    Map<String, Object> ops = new LinkedHashMap<>();
    for (Op op : Op.values()) {
      BenchResult.OpResult o = r.ops().get(op);
      Histogram h = o.latencyMicros();
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("count", h.getTotalCount());
      entry.put("opsPerSecond", round(perSecond(h.getTotalCount(), r), 1));
      Map<String, Object> latency = new LinkedHashMap<>();
      for (int i = 0; i < PERCENTILES.length; i++) {
        latency.put(PERCENTILE_NAMES[i], h.getTotalCount() == 0 ? null
            : round(h.getValueAtPercentile(PERCENTILES[i]) / 1000.0, 3));
      }
      latency.put("max", h.getTotalCount() == 0 ? null : round(h.getMaxValue() / 1000.0, 3));
      entry.put("latencyMs", latency);
      entry.put("errors", new TreeMap<>(o.errors()));
      ops.put(op.label(), entry);
    }
    doc.put("operations", ops);
    Map<String, Object> total = new LinkedHashMap<>();
    total.put("count", r.succeeded());
    total.put("opsPerSecond", round(perSecond(r.succeeded(), r), 1));
    total.put("errors", r.failed());
    doc.put("total", total);
    return Json.write(doc);
  }

  private static double perSecond(long count, BenchResult r) {
    return r.measuredNanos() <= 0 ? 0.0 : count / r.measuredSeconds();
  }

  private static String millis(long micros) {
    return number(micros / 1000.0, 3);
  }

  private static String number(double d, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", d);
  }

  private static BigDecimal round(double d, int decimals) {
    return BigDecimal.valueOf(d).setScale(decimals, RoundingMode.HALF_UP);
  }
}
