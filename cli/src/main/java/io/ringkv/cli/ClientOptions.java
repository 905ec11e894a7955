package io.ringkv.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The options every client command shares: which node, how long to wait, which output. */
final class ClientOptions {
  @Option(names = "--node", paramLabel = "HOST:PORT", defaultValue = NodeAddress.DEFAULT,
      converter = NodeAddress.Converter.class,
      description = "the node's HTTP API (default: ${DEFAULT-VALUE})")
  NodeAddress node;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
      converter = Durations.Converter.class,
      description = "how long to wait for the connection and for the answer, e.g. 500ms, 10s"
          + " (default: ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(names = "--json", description = "print JSON for scripts instead of text for humans")
  boolean json;
}
