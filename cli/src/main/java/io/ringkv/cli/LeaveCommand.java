package io.ringkv.cli;

import java.util.Map;
import picocli.CommandLine.Command;

/** {@code ringkv leave}: {@code POST /cluster/leave} on the node. */
@Command(name = "leave", sortOptions = false,
    description = {"Asks the node (--node) to leave the cluster (its partitions are handed off).",
        "", "Text: 'leave requested: node N' and the node's answer, if any.",
        "--json: the node's answer as it is ({\"status\": <http status>} when it is empty)."},
    footer = ClientCommand.EXIT_CODES)
public final class LeaveCommand extends ClientCommand {
  @Override
  int run(NodeClient client, Io io) {
    NodeClient.Response answer = client.send("POST", "/cluster/leave", Map.of(), new byte[0]);
    return AdminAnswer.print(answer, "leave requested: node " + client.node(), json(), io);
  }
}
