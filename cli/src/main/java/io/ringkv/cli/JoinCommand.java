package io.ringkv.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ringkv join --seed host:port}: {@code POST /cluster/join?seed=host:port} on the node. */
@Command(name = "join", sortOptions = false,
    description = {"Asks the node (--node) to join the cluster that --seed belongs to: the",
        "partitions it gains are streamed to it, then the ring takes it in.", "",
        "Text: 'join requested: node N, seed S' and the node's answer, if any;",
        "with --plan, what would move (nothing moves).",
        "--json: the node's answer as it is ({\"status\": <http status>} when it is empty)."},
    footer = ClientCommand.EXIT_CODES)
public final class JoinCommand extends ClientCommand {
  @Option(names = "--seed", paramLabel = "HOST:PORT", required = true,
      converter = NodeAddress.Converter.class,
      description = "a member of the cluster to join (passed to the node as given)")
  NodeAddress seed;

  @Option(names = "--plan", description = "Print what would move, and move nothing.")
  boolean plan;

  @Override
  int run(NodeClient client, Io io) {
    NodeClient.Response answer = client.send("POST",
        "/cluster/join?seed=" + NodeClient.segment(seed.toString()) + (plan ? "&plan=true" : ""),
        Map.of(), new byte[0]);
    if (plan) {
      return PlanAnswer.print(answer, json(), io);
    }
    return AdminAnswer.print(answer, "join requested: node " + client.node() + ", seed " + seed,
        json(), io);
  }
}
