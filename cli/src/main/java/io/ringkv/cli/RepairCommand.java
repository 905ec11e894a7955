package io.ringkv.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ringkv repair [--partition P] [--wait]}: {@code POST /cluster/repair} on the node. */
@Command(name = "repair", sortOptions = false,
    description = {"Starts an anti-entropy round on the node (--node) now: it compares its",
        "partitions (or one) with their other replicas and repairs what differs.", "",
        "Text: the node's answer: that the round started, or with --wait what it did",
        "(exchanges, failed ones, keys repaired, tombstones reaped).",
        "--json: the node's answer as it is."},
    footer = ClientCommand.EXIT_CODES)
public final class RepairCommand extends ClientCommand {
  @Option(names = "--partition", paramLabel = "P",
      description = "Only this partition (0 to Q-1; see ringkv ring).")
  Integer partition;

  @Option(names = "--wait",
      description = "Wait (at most --timeout) for the round to end and print what it did.")
  boolean waitForIt;

  @Override
  int run(NodeClient client, Io io) {
    if (partition != null && partition < 0) {
      throw new CliFailure(ExitCodes.USAGE, "--partition must be 0 or more, was " + partition);
    }
    List<String> query = new ArrayList<>();
    if (partition != null) {
      query.add("partition=" + partition);
    }
    if (waitForIt) {
      query.add("wait=true");
    }
    String path = "/cluster/repair" + (query.isEmpty() ? "" : "?" + String.join("&", query));
    NodeClient.Response answer = client.send("POST", path, Map.of(), new byte[0]);
    return AdminAnswer.print(answer, "repair requested: node " + client.node(), json(), io);
  }
}
