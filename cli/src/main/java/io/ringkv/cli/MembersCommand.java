package io.ringkv.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code ringkv members}: {@code GET /cluster/members} as a table. */
@Command(name = "members", sortOptions = false,
    description = {"Shows the cluster's members as the node sees them.", "",
        "Text: a table ID  ADDRESS  STATE (up or down, then the member status when it is",
        "joining, leaving or left, and 'ready' when it holds its partitions of a ring",
        "change in progress)  HINTS (how many hints the node",
        "holds for that member, their bytes and the age of the oldest), then",
        "ANTI-ENTROPY (the node's last exchanges with that member: partitions",
        "exchanged, failed ones, keys repaired, how long ago the last ended), then",
        "'K members: U up, D down' and, if the node holds any, the hints in all; while",
        "the ring changes, the change and the node's part of the handoff (partitions",
        "done of those it gains, keys, rate, ETA).",
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
    Table table = new Table("ID", "ADDRESS", "STATE", "HINTS", "ANTI-ENTROPY");
    int up = 0;
    long hints = 0;
    long bytes = 0;
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
      long[] held = hints(member);
      hints += held[0];
      bytes += held[1];
      Object status = member.get("status");
      String shown = state + (status == null || "up".equals(status) ? "" : ", " + status)
          + (Boolean.TRUE.equals(member.get("ready")) ? ", ready" : "");
      table.row(member.get("id"), member.get("address"), shown, held[0] == 0 ? "-"
          : held[0] + " (" + Values.bytes(held[1]) + ", oldest " + Values.age(held[2]) + ")",
          antiEntropy(member));
    }
    io.out().print(table.render());
    io.out().println(members.size() + (members.size() == 1 ? " member: " : " members: ") + up
        + " up, " + (members.size() - up) + " down" + (hints == 0 ? ""
            : "; " + hints + (hints == 1 ? " hint" : " hints") + " (" + Values.bytes(bytes)
                + ") held here for others"));
    ringChange(answer.text(), io);
    return ExitCodes.OK;
  }

  /** The ring change in progress and the node's part in it, if any. */
  private static void ringChange(String text, Io io) {
    Object parsed = Json.parse(text);
    if (!(parsed instanceof Map<?, ?> doc) || !(doc.get("ring") instanceof Map<?, ?> ring)
        || number(ring.get("pendingVersion")) == 0) {
      return;
    }
    String line = "ring change in progress: version " + number(ring.get("version")) + " -> "
        + number(ring.get("pendingVersion"));
    if (ring.get("handoff") instanceof Map<?, ?> h) {
      long gained = number(h.get("partitions"));
      long eta = number(h.get("etaMs"));
      line += gained == 0 ? "; this node gains no partition"
          : "; this node holds " + number(h.get("done")) + "/" + gained + " partitions it gains, "
              + number(h.get("keys")) + " keys (" + Values.bytes(number(h.get("bytes"))) + "), "
              + number(h.get("keysPerSecond")) + " keys/s, ETA "
              + (eta < 0 ? "?" : Values.age(eta));
      Object waiting = h.get("waitingFor");
      if (waiting != null && !String.valueOf(waiting).isEmpty()) {
        line += "; waiting: " + waiting;
      }
    }
    io.out().println(line);
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

  /** {count, bytes, oldest age in ms} of the member's {@code "hints"}, zeros when absent. */
  private static long[] hints(Map<?, ?> member) {
    if (!(member.get("hints") instanceof Map)) {
      return new long[3];
    }
    Map<?, ?> h = (Map<?, ?>) member.get("hints");
    return new long[] {number(h.get("count")), number(h.get("bytes")),
        number(h.get("oldestAgeMs"))};
  }

  /** {@code 64 partitions, 2 failed, 120 repaired, 3s ago}; {@code -} with no exchange. */
  private static String antiEntropy(Map<?, ?> member) {
    if (!(member.get("antiEntropy") instanceof Map)) {
      return "-";
    }
    Map<?, ?> ae = (Map<?, ?>) member.get("antiEntropy");
    long partitions = number(ae.get("partitions"));
    long last = number(ae.get("lastExchangeMs"));
    if (partitions == 0 || last == 0) {
      return "-";
    }
    long failed = number(ae.get("failed"));
    return partitions + (partitions == 1 ? " partition, " : " partitions, ")
        + (failed == 0 ? "" : failed + " failed, ") + number(ae.get("keysRepaired"))
        + " repaired, " + Values.age(Math.max(0, System.currentTimeMillis() - last)) + " ago";
  }

  private static long number(Object o) {
    return o instanceof Number n ? n.longValue() : 0;
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
