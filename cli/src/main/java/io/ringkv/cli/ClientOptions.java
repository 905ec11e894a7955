package io.ringkv.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The options every client command shares: which node, how long to wait, which output. */
final class ClientOptions {
  @Option(names = "--node", paramLabel = "HOST:PORT", converter = NodeAddress.Converter.class,
      description = "the node: its client.port (default " + NodeAddress.DEFAULT_CLIENT
          + "), or with --http its HTTP API (default " + NodeAddress.DEFAULT + ");"
          + " members, join and leave always use the HTTP API")
  NodeAddress node;

  @Option(names = "--http", description = "use the node's HTTP API instead of the binary client"
      + " protocol")
  boolean http;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
      converter = Durations.Converter.class,
      description = "how long to wait for the connection and for the answer, e.g. 500ms, 10s"
          + " (default: ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(names = "--json", description = "print JSON for scripts instead of text for humans")
  boolean json;
}
