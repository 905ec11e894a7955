package io.ringkv.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What every client command does around its request: connect to {@code --node}, and turn a
 * {@link CliFailure} into {@code ringkv: <message>} on stderr and its exit code.
 */
abstract class ClientCommand implements Callable<Integer> {
  /** Help footer of every client command. */
  static final String EXIT_CODES = "%nExit codes:%n"
      + "  0  done%n"
      + "  1  the node refused the request (its message is printed), or the key is absent%n"
      + "  2  usage error%n"
      + "  3  503 from the node (quorum not reached, unavailable), or no answer in time%n"
      + "  4  the node cannot be reached (connection refused, unknown host)";

  @Mixin
  ClientOptions options;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
  boolean help;

  @Override
  public final Integer call() {
    PrintStream out = System.out;
    PrintStream err = System.err;
    Io io = new Io(out, err, System.in);
    try {
      if (speaksBinary() && !options.http) {
        NodeAddress node = options.node != null ? options.node
            : NodeAddress.parse(NodeAddress.DEFAULT_CLIENT);
        try (BinaryNode binary = new BinaryNode(node, options.timeout)) {
          return runBinary(binary, io);
        }
      }
      NodeAddress node = options.node != null ? options.node : NodeAddress.parse(NodeAddress.DEFAULT);
      return run(new NodeClient(node, options.timeout), io);
    } catch (CliFailure f) {
      out.flush();
      err.println("ringkv: " + f.getMessage());
      return f.exitCode();
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** Sends the request over the HTTP API and prints the answer; returns the exit code. */
  abstract int run(NodeClient client, Io io);

  /** Whether the command can use the binary client protocol (the default when it can). */
  boolean speaksBinary() {
    return false;
  }

  /** Sends the request over the binary client protocol and prints the answer. */
  int runBinary(BinaryNode node, Io io) {
    throw new AssertionError(getClass().getSimpleName() + " speaks HTTP only");
  }

  boolean json() {
    return options.json;
  }

  /** The streams a command prints to and reads from. */
  record Io(PrintStream out, PrintStream err, InputStream in) {
  }
}
