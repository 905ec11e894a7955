package io.ringkv.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ringkv leave}: {@code POST /cluster/leave} on the node. */
@Command(name = "leave", sortOptions = false,
    description = {"Asks the node (--node) to leave the cluster: its partitions are handed off",
        "to their new owners; it reports left (ringkv members) once they hold them, and",
        "only then may it be stopped.", "",
        "Text: 'leave requested: node N' and the node's answer, if any;",
        "with --plan, what would move (nothing moves).",
        "--json: the node's answer as it is ({\"status\": <http status>} when it is empty)."},
    footer = ClientCommand.EXIT_CODES)
public final class LeaveCommand extends ClientCommand {
  @Option(names = "--plan", description = "Print what would move, and move nothing.")
  boolean plan;

  @Override
  int run(NodeClient client, Io io) {
    NodeClient.Response answer = client.send("POST", "/cluster/leave" + (plan ? "?plan=true" : ""),
        Map.of(), new byte[0]);
    if (plan) {
      return PlanAnswer.print(answer, json(), io);
    }
    return AdminAnswer.print(answer, "leave requested: node " + client.node(), json(), io);
  }
}
