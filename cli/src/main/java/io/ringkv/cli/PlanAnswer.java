package io.ringkv.cli;

import java.util.List;
import java.util.Map;

/**
 * A ring change's plan ({@code join --plan}, {@code leave --plan}, {@code remove --plan}) as a
 * table: one row per partition that moves, then the totals and the estimated time at the
 * configured rate. Nothing moves.
 */
final class PlanAnswer {
  private PlanAnswer() {}

  static int print(NodeClient.Response answer, boolean json, ClientCommand.Io io) {
    if (answer.status() != 200) {
      throw NodeClient.failure(answer);
    }
    if (json) {
      io.out().println(answer.text().trim());
      return ExitCodes.OK;
    }
    Object parsed;
    try {
      parsed = Json.parse(answer.text());
    } catch (IllegalArgumentException e) {
      throw new CliFailure(ExitCodes.FAILED, "the node's plan is not JSON: " + e.getMessage());
    }
    if (!(parsed instanceof Map<?, ?> plan) || !(plan.get("moves") instanceof List<?> moves)) {
      throw new CliFailure(ExitCodes.FAILED, "the node's answer is not a plan: "
          + NodeClient.oneLine(answer.text()));
    }
    io.out().println("plan: " + plan.get("change") + " (nothing moves until you run it"
        + " without --plan)");
    Table table = new Table("PARTITION", "N", "FROM", "TO", "KEYS", "BYTES");
    for (Object o : moves) {
      Map<?, ?> m = (Map<?, ?>) o;
      Object from = m.get("from");
      table.row(m.get("partition"), m.get("n"),
          from instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList())
              : String.valueOf(from), m.get("to"), m.get("keys"),
          Values.bytes(number(m.get("bytes"))));
    }
    if (!moves.isEmpty()) {
      io.out().print(table.render());
    }
    Map<?, ?> rate = plan.get("rate") instanceof Map<?, ?> r ? r : Map.of();
    long estimated = number(plan.get("estimatedMs"));
    io.out().println(moves.size() + (moves.size() == 1 ? " partition moves: " : " partitions move: ")
        + number(plan.get("keys")) + " keys, " + Values.bytes(number(plan.get("bytes")))
        + "; at " + rateText(number(rate.get("keysPerSecond")), number(rate.get("bytesPerSecond")))
        + " (antientropy.max.rate) about " + Values.age(estimated)
        + ", after a few seconds for every node to learn of the change");
    if (plan.get("unknown") instanceof List<?> unknown && !unknown.isEmpty()) {
      io.out().println("not counted (did not answer): " + unknown);
    }
    return ExitCodes.OK;
  }

  private static String rateText(long keys, long bytes) {
    String k = keys == 0 ? "no key limit" : keys + " keys/s";
    String b = bytes == 0 ? "no byte limit" : Values.bytes(bytes) + "/s";
    return k + " and " + b;
  }

  private static long number(Object o) {
    return o instanceof Number n ? n.longValue() : 0;
  }
}
