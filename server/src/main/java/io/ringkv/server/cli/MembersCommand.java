package io.ringkv.server.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code ringkv members}: {@code GET /cluster/members} as a table. */
@Command(name = "members", sortOptions = false,
    description = {"Shows the cluster's members as the node sees them.", "",
        "Text: a table ID  ADDRESS  STATE (up or down), then 'K members: U up, D down'.",
        "--json: the node's /cluster/members answer as it is."},
    footer = ClientCommand.EXIT_CODES)
public final class MembersCommand extends ClientCommand {
  @Override
  int run(NodeClient client, Io io) {
    NodeClient.Response answer = client.send("GET", "/cluster/members", Map.of(), null);
    if (answer.status() != 200) {
      throw NodeClient.failure(answer);
    }
    if (json()) {
      io.out().println(answer.text().trim());
      return ExitCodes.OK;
    }
    List<?> members = members(answer.text());
    Table table = new Table("ID", "ADDRESS", "STATE");
    int up = 0;
    for (Object m : members) {
      if (!(m instanceof Map)) {
        throw new CliFailure(ExitCodes.FAILED, "a member in the node's answer is not an object: "
            + Json.write(m));
      }
      Map<?, ?> member = (Map<?, ?>) m;
      String state = state(member);
      if (state.equals("up")) {
        up++;
      }
      table.row(member.get("id"), member.get("address"), state);
    }
    io.out().print(table.render());
    io.out().println(members.size() + (members.size() == 1 ? " member: " : " members: ") + up
        + " up, " + (members.size() - up) + " down");
    return ExitCodes.OK;
  }

  /** The list itself, or the {@code "members"} list of an object. */
  private static List<?> members(String text) {
    Object parsed;
    try {
      parsed = Json.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CliFailure(ExitCodes.FAILED, "the node's answer is not JSON: " + e.getMessage());
    }
    if (parsed instanceof Map && ((Map<?, ?>) parsed).get("members") instanceof List) {
      return (List<?>) ((Map<?, ?>) parsed).get("members");
    }
    if (parsed instanceof List) {
      return (List<?>) parsed;
    }
    throw new CliFailure(ExitCodes.FAILED, "the node's /cluster/members answer is neither a list"
        + " nor an object with \"members\": " + NodeClient.oneLine(text));
  }

  private static String state(Map<?, ?> member) {
    Object state = member.get("state");
    if (state != null) {
      return String.valueOf(state);
    }
    Object up = member.get("up");
    return up instanceof Boolean ? ((Boolean) up ? "up" : "down") : "?";
  }
}
