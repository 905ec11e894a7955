package io.ringkv.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ringkv remove NODE [--plan]}: {@code POST /cluster/remove?node=NODE} on the node. */
@Command(name = "remove", sortOptions = false,
    description = {"Removes a dead node from the ring: its partitions are rebuilt on their new",
        "owners from the surviving replicas (ask any live node, --node).", "",
        "Text: 'remove requested' and the node's answer; with --plan, what would move.",
        "--json: the node's answer as it is."},
    footer = ClientCommand.EXIT_CODES)
public final class RemoveCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "NODE", description = "the id of the dead node")
  String dead;

  @Option(names = "--plan", description = "Print what would move, and move nothing.")
  boolean plan;

  @Override
  int run(NodeClient client, Io io) {
    String path = "/cluster/remove?node=" + NodeClient.segment(dead) + (plan ? "&plan=true" : "");
    NodeClient.Response answer = client.send("POST", path, Map.of(), new byte[0]);
    if (plan) {
      return PlanAnswer.print(answer, json(), io);
    }
    return AdminAnswer.print(answer, "remove requested: node " + dead + " (asked "
        + client.node() + ")", json(), io);
  }
}
