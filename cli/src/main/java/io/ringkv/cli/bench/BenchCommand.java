package io.ringkv.cli.bench;

import io.ringkv.cli.CliFailure;
import io.ringkv.cli.Durations;
import io.ringkv.cli.ExitCodes;
import io.ringkv.cli.NodeAddress;
import io.ringkv.cli.NodeClient;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ringkv bench}: load against running nodes, throughput and latency percentiles per operation. */
@Command(name = "bench", sortOptions = false,
    description = {"Puts load on running nodes over the HTTP API and reports throughput and"
        + " latency percentiles (HdrHistogram) per operation.", "",
        "Keys key0..key<keys-1> are chosen uniformly. A read is a GET (200, 300 and 404 all"
            + " count as success); a write is a blind PUT, or with --rmw a GET then a PUT"
            + " carrying its context (each request counted under its own operation, so"
            + " --requests counts operations, not requests). Blind puts to a bucket whose"
            + " resolver is 'siblings' pile up siblings: bench an lww bucket, or use --rmw.",
        "Without --rate the load is a closed loop: each of the --concurrency slots starts its"
            + " next operation when the previous one ends. With --rate, operations get"
            + " scheduled start times and latency counts from the scheduled time, which"
            + " corrects for coordinated omission.", "",
        "Every --progress a line goes to stderr: '[elapsed] N ops/s  errors E  p99 get X ms"
            + " put Y ms' for the interval, marked (warm-up) during the warm-up. At the end, on"
            + " stdout: 'measured ...', a table op, count, ops/s, p50/p95/p99/p99.9/max in ms,"
            + " errors, a total row, then 'errors by status: ...'. With --json, one JSON object"
            + " on stdout instead: {nodes, bucket, keys, valueSize, readRatio, rmw, concurrency,"
            + " rate, seed, warmupSeconds, measuredSeconds, operations: {get|put: {count,"
            + " opsPerSecond, latencyMs: {p50, p95, p99, p99.9, max}, errors: {<status>:"
            + " count}}}, total: {count, opsPerSecond, errors}}."},
    footer = {"%nExit codes:%n"
        + "  0  the run finished and at least one operation succeeded%n"
        + "  1  every measured operation failed%n"
        + "  2  usage error%n"
        + "  3  a node did not answer the pre-flight GET /health in time%n"
        + "  4  a node cannot be reached"})
public final class BenchCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
  boolean help;

  @Option(names = "--node", paramLabel = "HOST:PORT", split = ",",
      defaultValue = NodeAddress.DEFAULT, converter = NodeAddress.Converter.class,
      description = "HTTP API of a node; repeat or separate with commas to spread the requests"
          + " round-robin (default: ${DEFAULT-VALUE})")
  List<NodeAddress> nodes;

  @Option(names = "--concurrency", paramLabel = "N", defaultValue = "16",
      description = "requests in flight at once (default: ${DEFAULT-VALUE})")
  int concurrency;

  @Option(names = "--keys", paramLabel = "N", defaultValue = "10000",
      description = "size of the key space (default: ${DEFAULT-VALUE})")
  int keys;

  @Option(names = "--value-size", paramLabel = "BYTES", defaultValue = "1024",
      description = "bytes per written value (default: ${DEFAULT-VALUE})")
  int valueSize;

  @Option(names = "--read-ratio", paramLabel = "R", defaultValue = "0.5",
      description = "fraction of operations that are reads, 0..1 (default: ${DEFAULT-VALUE})")
  double readRatio;

  @Option(names = "--rmw", description = "writes read the key first and put with its context")
  boolean rmw;

  @Option(names = "--duration", paramLabel = "DURATION", converter = Durations.Converter.class,
      description = "how long to measure, e.g. 10s, 1m (default: 30s unless --requests)")
  Duration duration;

  @Option(names = "--requests", paramLabel = "N",
      description = "measure this many operations instead of a duration")
  Long requests;

  @Option(names = "--warmup", paramLabel = "DURATION", converter = Durations.Converter.class,
      description = "load before measuring, not counted (default: 5s, or 0 with --requests)")
  Duration warmup;

  @Option(names = "--rate", paramLabel = "OPS",
      description = "start operations at this fixed rate per second (default: closed loop)")
  Double rate;

  @Option(names = "--bucket", paramLabel = "NAME", defaultValue = "bench",
      description = "the bucket (default: ${DEFAULT-VALUE})")
  String bucket;

  @Option(names = "--seed", paramLabel = "N",
      description = "seed of the key and mix choices (default: the clock; printed in the header)")
  Long seed;

  @Option(names = "--progress", paramLabel = "DURATION", defaultValue = "5s",
      converter = Durations.Converter.class,
      description = "interval of the progress line (default: ${DEFAULT-VALUE})")
  Duration progress;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
      converter = Durations.Converter.class,
      description = "per request (default: ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(names = "--json", description = "print the summary as JSON (the header goes to stderr)")
  boolean json;

  @Override
  public Integer call() {
    BenchSettings settings = settings();
    PrintStream out = System.out;
    PrintStream err = System.err;
    try {
      preflight(settings);
      (json ? err : out).println(BenchReport.header(settings));
      (json ? err : out).flush();
      BenchResult result = new LoadGenerator(settings, err).run();
      out.print(json ? BenchReport.json(result) + System.lineSeparator()
          : System.lineSeparator() + BenchReport.text(result));
      out.flush();
      if (result.succeeded() == 0) {
        err.println("ringkv: every measured operation failed (" + result.failed() + " errors)");
        return ExitCodes.FAILED;
      }
      return ExitCodes.OK;
    } catch (CliFailure f) {
      err.println("ringkv: " + f.getMessage());
      return f.exitCode();
    } catch (IllegalStateException e) {
      err.println("ringkv: " + e.getMessage());
      return ExitCodes.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("ringkv: bench interrupted");
      return ExitCodes.FAILED;
    } finally {
      out.flush();
      err.flush();
    }
  }

  private BenchSettings settings() {
    if (duration != null && requests != null) {
      throw new ParameterException(spec.commandLine(),
          "give either --duration or --requests, not both");
    }
    if (requests != null && requests < 1) {
      throw new ParameterException(spec.commandLine(), "--requests must be at least 1, got "
          + requests);
    }
    Duration length = requests == null && duration == null ? Duration.ofSeconds(30) : duration;
    Duration warm = warmup != null ? warmup : requests != null ? Duration.ZERO : Duration.ofSeconds(5);
    try {
      return new BenchSettings(nodes, concurrency, keys, valueSize, readRatio, rmw, length,
          requests == null ? 0 : requests, warm, bucket,
          seed != null ? seed : System.currentTimeMillis(), rate == null ? 0 : rate, progress,
          timeout);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** Every node must answer (any status) {@code GET /health} before the load starts. */
  private static void preflight(BenchSettings settings) {
    for (NodeAddress node : settings.nodes()) {
      new NodeClient(node, settings.timeout()).send("GET", "/health", Map.of(), null);
    }
  }
}
