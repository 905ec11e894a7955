package io.ringkv.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.cli.Cli;
import io.ringkv.cli.FakeNode;
import io.ringkv.cli.Json;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code ringkv bench} against fake nodes on loopback: short runs, the report, the errors. */
class BenchCommandTest {
  private static final Pattern ROW = Pattern.compile(
      "(?m)^(get|put)\\s+(\\d+)\\s+([\\d.]+)\\s+([\\d.]+)\\s+([\\d.]+)\\s+([\\d.]+)\\s+([\\d.]+)"
          + "\\s+([\\d.]+)\\s+(\\d+)$");
  private final FakeNode one = FakeNode.start();
  private final FakeNode two = FakeNode.start();

  @AfterEach
  void stop() {
    one.close();
    two.close();
  }

  @Test
  void aShortRunPrintsThePercentileTable() {
    Cli.Run run = Cli.run("bench", "--requests", "200", "--concurrency", "4", "--keys", "50",
        "--value-size", "100", "--seed", "7", "--node", one.address() + "," + two.address());
    assertThat(run.exit()).as("%s", run).isZero();
    String out = run.out();
    assertThat(out).startsWith("ringkv bench: 2 nodes (" + one.address() + ", " + two.address()
        + "), bucket bench, 50 keys, 100-byte values, read ratio 0.50, blind puts"
        + System.lineSeparator()
        + "closed loop, concurrency 4; 200 requests after a 0 ms warm-up; seed 7");
    assertThat(out).containsPattern("measured 200 operations in [\\d.]+ s: 200 ok, 0 failed")
        .containsPattern("(?m)^op\\s+count\\s+ops/s\\s+p50 ms\\s+p95 ms\\s+p99 ms\\s+p99\\.9 ms"
            + "\\s+max ms\\s+errors$")
        .containsPattern("(?m)^total\\s+200\\s+[\\d.]+\\s+0$")
        .contains("errors by status: none");
    Matcher rows = ROW.matcher(out);
    long counted = 0;
    int found = 0;
    while (rows.find()) {
      found++;
      counted += Long.parseLong(rows.group(2));
      double p50 = Double.parseDouble(rows.group(4));
      double p99 = Double.parseDouble(rows.group(6));
      double max = Double.parseDouble(rows.group(8));
      assertThat(p50).isPositive().isLessThanOrEqualTo(p99);
      assertThat(p99).isLessThanOrEqualTo(max);
    }
    assertThat(found).as("get and put rows in%n%s", out).isEqualTo(2);
    assertThat(counted).isEqualTo(200);

    List<FakeNode.Request> toOne = one.requests("/buckets/");
    List<FakeNode.Request> toTwo = two.requests("/buckets/");
    assertThat(toOne.size() + toTwo.size()).isEqualTo(200);
    assertThat(toOne.size()).as("round-robin").isBetween(99, 101);
    assertThat(toOne).allSatisfy(r -> {
      assertThat(r.path()).matches("/buckets/bench/keys/key([0-9]|[1-4][0-9])");
      if (r.method().equals("PUT")) {
        assertThat(r.body()).hasSize(100);
        assertThat(r.header("X-Context")).isNull();
      }
    });
    assertThat(one.requests("/health")).hasSize(1);
  }

  @Test
  void jsonSummaryHasEveryOperationAndPercentile() {
    Cli.Run run = Cli.run("bench", "--requests", "60", "--concurrency", "3", "--read-ratio", "1",
        "--json", "--node", one.address());
    assertThat(run.exit()).as("%s", run).isZero();
    assertThat(run.err()).startsWith("ringkv bench: 1 node (" + one.address() + ")");
    Map<?, ?> doc = (Map<?, ?>) Json.parse(run.out().trim());
    assertThat(doc.get("nodes")).isEqualTo(List.of(one.address()));
    assertThat(doc.get("concurrency")).isEqualTo(3L);
    assertThat(doc.get("rate")).isNull();
    Map<?, ?> ops = (Map<?, ?>) doc.get("operations");
    Map<?, ?> get = (Map<?, ?>) ops.get("get");
    Map<?, ?> put = (Map<?, ?>) ops.get("put");
    assertThat(get.get("count")).isEqualTo(60L);
    assertThat(put.get("count")).isEqualTo(0L);
    assertThat(List.copyOf(((Map<?, ?>) get.get("latencyMs")).keySet()))
        .isEqualTo(List.of("p50", "p95", "p99", "p99.9", "max"));
    assertThat(((Map<?, ?>) get.get("latencyMs")).values()).allSatisfy(v ->
        assertThat(v).isInstanceOf(java.math.BigDecimal.class));
    assertThat(((Map<?, ?>) put.get("latencyMs")).get("p99")).isNull();
    assertThat(get.get("errors")).isEqualTo(Map.of());
    assertThat(((Map<?, ?>) doc.get("total")).get("count")).isEqualTo(60L);
    assertThat(one.requests("/buckets/")).extracting(FakeNode.Request::method).containsOnly("GET");
  }

  @Test
  void readModifyWritePutsCarryTheContextOfTheirGet() {
    for (int i = 0; i < 3; i++) {
      one.stored("bench", "key" + i, new byte[] {1}, "seen-" + i);
    }
    Cli.Run run = Cli.run("bench", "--requests", "40", "--concurrency", "2", "--keys", "3",
        "--read-ratio", "0", "--rmw", "--seed", "1", "--node", one.address());
    assertThat(run.exit()).as("%s", run).isZero();
    List<FakeNode.Request> puts = one.requests("/buckets/").stream()
        .filter(r -> r.method().equals("PUT")).toList();
    assertThat(puts).isNotEmpty().allSatisfy(r ->
        assertThat(r.header("X-Context")).matches("seen-\\d|ctx\\d+"));
    assertThat(run.out()).contains("read-modify-write puts");
  }

  @Test
  void errorsAreCountedByStatus() {
    one.answer("PUT", "/buckets/bench/keys/key0", 503, Map.of(),
        "{\"error\": \"quorum not reached: 1 of W=2\"}");
    Cli.Run run = Cli.run("bench", "--requests", "30", "--concurrency", "2", "--keys", "1",
        "--node", one.address(), "--seed", "3");
    assertThat(run.exit()).as("%s", run).isZero();
    long puts = one.requests("/buckets/").stream().filter(r -> r.method().equals("PUT")).count();
    assertThat(puts).isPositive();
    assertThat(run.out()).contains("errors by status: put 503 x" + puts)
        .containsPattern("(?m)^put\\s+0\\s+0\\.0\\s+-\\s+-\\s+-\\s+-\\s+-\\s+" + puts + "$");
  }

  @Test
  void whenEveryOperationFailsItExitsOne() {
    one.answer("GET", "/buckets/bench/keys/key0", 500, Map.of(), "{\"error\": \"boom\"}");
    Cli.Run run = Cli.run("bench", "--requests", "5", "--concurrency", "1", "--keys", "1",
        "--read-ratio", "1", "--node", one.address());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).contains("errors by status: get 500 x5");
    assertThat(run.err()).contains("ringkv: every measured operation failed (5 errors)");
  }

  @Test
  void aTimedRunWithWarmupAndAFixedRatePrintsProgress() {
    Cli.Run run = Cli.run("bench", "--duration", "300ms", "--warmup", "300ms", "--progress",
        "100ms", "--rate", "200", "--concurrency", "4", "--node", one.address());
    assertThat(run.exit()).as("%s", run).isZero();
    assertThat(run.out()).contains("fixed rate 200.0 ops/s (latency from the scheduled start),"
        + " at most 4 in flight; 300 ms after a 300 ms warm-up");
    assertThat(run.err()).containsPattern("\\[\\s+0\\.\\ds\\] \\d+ ops/s  errors 0.*  \\(warm-up\\)")
        .containsPattern("(?m)^\\[\\s+\\d+\\.\\ds\\] \\d+ ops/s  errors 0(  p99 .*ms)?$");
    Matcher total = Pattern.compile("(?m)^total\\s+(\\d+)").matcher(run.out());
    assertThat(total.find()).isTrue();
    assertThat(Long.parseLong(total.group(1)))
        .as("operations scheduled in the 300 ms after the warm-up, at 200/s").isBetween(59L, 61L);
  }

  @Test
  void anUnreachableNodeStopsTheRunBeforeItStarts() {
    String address = "127.0.0.1:" + Cli.closedPort();
    Cli.Run run = Cli.run("bench", "--requests", "10", "--node", one.address(), "--node", address);
    assertThat(run.exit()).isEqualTo(4);
    assertThat(run.err()).isEqualTo("ringkv: cannot reach node " + address
        + " (connection refused)" + System.lineSeparator());
    assertThat(one.requests("/buckets/")).isEmpty();
  }

  @Test
  void usageErrors() {
    Cli.Run both = Cli.run("bench", "--requests", "10", "--duration", "1s");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).contains("give either --duration or --requests, not both");
    Cli.Run ratio = Cli.run("bench", "--read-ratio", "1.5");
    assertThat(ratio.exit()).isEqualTo(2);
    assertThat(ratio.err()).contains("--read-ratio must be in 0..1, got 1.5");
    Cli.Run concurrency = Cli.run("bench", "--concurrency", "0");
    assertThat(concurrency.exit()).isEqualTo(2);
    assertThat(concurrency.err()).contains("--concurrency must be in 1..100000, got 0");
  }
}
