package io.ringkv.cli;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.RingkvException;
import io.ringkv.client.RingkvClient;
import io.ringkv.client.Routing;
import io.ringkv.client.UnreachableException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Function;

/**
 * One node's binary client protocol, for the key commands: a {@link RingkvClient} that talks to
 * that node only (it forwards what it does not coordinate), and the rules that turn a failure
 * into one line and an exit code ({@link ExitCodes}), as {@link NodeClient} does for HTTP.
 */
final class BinaryNode implements AutoCloseable {
  private final NodeAddress node;
  private final RingkvClient client;

  BinaryNode(NodeAddress node, Duration timeout) {
    this.node = node;
    this.client = RingkvClient.builder()
        .seed(InetSocketAddress.createUnresolved(node.host(), node.port()))
        .routing(Routing.ANY_NODE).retries(0).connectTimeout(timeout).requestTimeout(timeout)
        .ringRefreshInterval(Duration.ZERO).build();
  }

  NodeAddress node() {
    return node;
  }

  /** Runs {@code call} on the client; a failure becomes a {@link CliFailure}. */
  <T> T call(Function<RingkvClient, T> call) {
    try {
      return call.apply(client);
    } catch (UnreachableException e) {
      throw new CliFailure(ExitCodes.UNREACHABLE, e.getMessage());
    } catch (RingkvException e) {
      int exit = e.code() == ErrorCode.UNAVAILABLE || e.code() == ErrorCode.QUORUM_NOT_REACHED
          ? ExitCodes.UNAVAILABLE : ExitCodes.FAILED;
      throw new CliFailure(exit, NodeClient.oneLine(String.valueOf(e.getMessage())) + " ("
          + e.code() + ")");
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
