package io.ringkv.cli;

import io.ringkv.api.NodeId;
import io.ringkv.client.ClientRing;
import io.ringkv.client.RingkvClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;

/** {@code ringkv ring}: {@code GET /cluster/ring} as a table of ownership per node. */
@Command(name = "ring", sortOptions = false,
    description = {"Shows the ring the node knows: partitions owned per node.", "",
        "Text: 'ring version V: Q partitions over K nodes', then a table NODE  PARTITIONS"
            + "  SHARE  RANGES (runs of partition indexes, e.g. 0-3, 9).",
        "--json: the ring as JSON: version, partitions, owners, nodes (partitions per node);"
            + " over the binary protocol also clients (where each node takes clients, up or"
            + " down), defaultN and bucketN; with --http the node's /cluster/ring answer as it is."},
    footer = ClientCommand.EXIT_CODES)
public final class RingCommand extends ClientCommand {
  @Override
  int run(NodeClient client, Io io) {
    NodeClient.Response answer = client.send("GET", "/cluster/ring", Map.of(), null);
    if (answer.status() != 200) {
      throw NodeClient.failure(answer);
    }
    if (json()) {
      io.out().println(answer.text().trim());
      return ExitCodes.OK;
    }
    Map<?, ?> ring = object(answer.text());
    Map<String, List<Integer>> owned = ring.get("owners") instanceof List<?> owners
        ? owned(owners) : new TreeMap<>();
    Map<String, Long> counts = new TreeMap<>();
    if (ring.get("nodes") instanceof Map) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) ring.get("nodes")).entrySet()) {
        counts.put(String.valueOf(e.getKey()), number(e.getValue()));
      }
    } else {
      owned.forEach((node, parts) -> counts.put(node, (long) parts.size()));
    }
    if (counts.isEmpty() && owned.isEmpty()) {
      throw new CliFailure(ExitCodes.FAILED, "the node's /cluster/ring answer has neither"
          + " \"nodes\" nor \"owners\": " + NodeClient.oneLine(answer.text()));
    }
    owned.keySet().forEach(node -> counts.putIfAbsent(node, (long) owned.get(node).size()));
    long partitions = ring.get("partitions") instanceof Long ? (Long) ring.get("partitions")
        : counts.values().stream().mapToLong(Long::longValue).sum();
    print(ring.get("version"), partitions, counts, owned, io);
    return ExitCodes.OK;
  }

  @Override
  boolean speaksBinary() {
    return true;
  }

  /** The same table from the binary protocol's ring; {@code --json} adds where clients connect. */
  @Override
  int runBinary(BinaryNode node, Io io) {
    ClientRing ring = node.call(RingkvClient::ring);
    List<NodeId> owners = ring.ring().owners();
    if (json()) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("version", ring.version());
      doc.put("partitions", owners.size());
      doc.put("owners", owners.stream().map(NodeId::value).toList());
      Map<String, Object> counts = new LinkedHashMap<>();
      ring.ring().ownershipCounts().forEach((id, count) -> counts.put(id.value(), count));
      doc.put("nodes", counts);
      List<Object> clients = new ArrayList<>();
      for (ClientRing.Node n : ring.nodes()) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", n.id().value());
        c.put("host", n.host());
        c.put("clientPort", n.clientPort());
        c.put("up", n.up());
        clients.add(c);
      }
      doc.put("clients", clients);
      doc.put("defaultN", ring.defaultN());
      doc.put("bucketN", new java.util.TreeMap<>(ring.bucketN()));
      io.out().println(Json.write(doc));
      return ExitCodes.OK;
    }
    Map<String, Long> counts = new TreeMap<>();
    ring.ring().ownershipCounts().forEach((id, count) -> counts.put(id.value(), (long) count));
    print(ring.version(), owners.size(), counts, owned(owners), io);
    return ExitCodes.OK;
  }

  /** The partitions each node owns, by node, from an owner list (index = partition). */
  private static Map<String, List<Integer>> owned(List<?> owners) {
    Map<String, List<Integer>> owned = new TreeMap<>();
    for (int p = 0; p < owners.size(); p++) {
      owned.computeIfAbsent(String.valueOf(owners.get(p)), k -> new ArrayList<>()).add(p);
    }
    return owned;
  }

  private static void print(Object version, long partitions, Map<String, Long> counts,
      Map<String, List<Integer>> owned, Io io) {
    io.out().println("ring version " + (version == null ? "?" : version) + ": " + partitions
        + " partitions over " + counts.size() + (counts.size() == 1 ? " node" : " nodes"));
    Table table = new Table("NODE", ">PARTITIONS", ">SHARE", "RANGES");
    counts.forEach((node, count) -> table.row(node, count,
        String.format(Locale.ROOT, "%.1f%%", partitions == 0 ? 0.0 : 100.0 * count / partitions),
        ranges(owned.getOrDefault(node, List.of()))));
    io.out().print(table.render());
  }

  /** {@code 0-3, 9, 12-15} for sorted partition indexes; {@code -} when unknown. */
  static String ranges(List<Integer> sorted) {
    if (sorted.isEmpty()) {
      return "-";
    }
    StringBuilder out = new StringBuilder();
    int start = sorted.get(0);
    int prev = start;
    for (int i = 1; i <= sorted.size(); i++) {
      if (i < sorted.size() && sorted.get(i) == prev + 1) {
        prev = sorted.get(i);
        continue;
      }
      if (out.length() > 0) {
        out.append(", ");
      }
      out.append(start == prev ? String.valueOf(start) : start + "-" + prev);
      if (i < sorted.size()) {
        start = sorted.get(i);
        prev = start;
      }
    }
    return out.toString();
  }

  static Map<?, ?> object(String text) {
    try {
      Object parsed = Json.parse(text);
      if (parsed instanceof Map) {
        return (Map<?, ?>) parsed;
      }
    } catch (IllegalArgumentException e) {
      throw new CliFailure(ExitCodes.FAILED, "the node's answer is not JSON: " + e.getMessage());
    }
    throw new CliFailure(ExitCodes.FAILED, "the node's answer is not a JSON object: "
        + NodeClient.oneLine(text));
  }

  private static long number(Object o) {
    if (o instanceof Number) {
      return ((Number) o).longValue();
    }
    throw new CliFailure(ExitCodes.FAILED, "a partition count in the node's /cluster/ring answer"
        + " is not a number: " + Json.write(o));
  }
}
