package io.ringkv.cli;

import io.ringkv.api.Bytes;
import io.ringkv.api.GetResult;
import io.ringkv.api.RequestOptions;
import io.ringkv.api.Versioned;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ringkv get BUCKET KEY}: {@code GET /buckets/{b}/keys/{k}}. One value → its bytes on
 * stdout and {@code context: C} on stderr; siblings → an {@code N siblings} header and one line
 * per sibling; absent → {@code not found} and exit 1.
 */
@Command(name = "get", sortOptions = false,
    description = {"Reads a key through the node (R replicas answer).", "",
        "One value: the value's bytes, exactly, on stdout; its context on stderr as"
            + " 'context: C' (pass it to put or delete with --context).",
        "Siblings (concurrent writes): a 'N siblings' header, then one line per sibling,"
            + " '[i] <timestamp>  <value>' (text values quoted, others as base64:...), and"
            + " the context on stderr; exit 0.",
        "Absent: 'not found' on stderr, exit 1.",
        "--json: {\"found\": true, \"value\": \"...\", \"context\": \"...\"}; with siblings"
            + " {\"found\": true, \"siblings\": [{\"value\": \"...\", \"timestamp\": <ms>}],"
            + " \"context\": \"...\"}; absent {\"found\": false, \"context\": null}. A value"
            + " that is not UTF-8 comes as \"valueBase64\" instead of \"value\"."},
    footer = ClientCommand.EXIT_CODES)
public final class GetCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "BUCKET", description = "the bucket")
  String bucket;

  @Parameters(index = "1", paramLabel = "KEY", description = "the key")
  String key;

  @Option(names = "--r", paramLabel = "N",
      description = "read quorum for this request (default: the bucket's R)")
  Integer r;

  @Override
  int run(NodeClient client, Io io) {
    String path = NodeClient.keyPath(bucket, key) + (r == null ? "" : "?r=" + r);
    NodeClient.Response answer = client.send("GET", path, Map.of(), null);
    switch (answer.status()) {
      case 200:
        return one(answer.body(), answer.context(), io);
      case 300:
        return siblings(answer, io);
      case 404:
        return notFound(answer.context(), io);
      default:
        throw NodeClient.failure(answer);
    }
  }

  @Override
  boolean speaksBinary() {
    return true;
  }

  @Override
  int runBinary(BinaryNode node, Io io) {
    RequestOptions options = RequestOptions.DEFAULT.withR(quorum("r", r));
    GetResult result = node.call(c -> c.get(bucket, key, options));
    String context = result.context().encoded();
    if (!result.isFound()) {
      return notFound(context, io);
    }
    if (!result.hasConflict()) {
      return one(result.value().toByteArray(), context, io);
    }
    List<Map<String, Object>> siblings = new ArrayList<>();
    for (Versioned<Bytes> v : result.siblings()) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("value", v.value().toByteArray());
      out.put("timestamp", v.timestamp());
      siblings.add(out);
    }
    return siblings(siblings, context, io);
  }

  /** A quorum override as the node checks it (null: the bucket's own). */
  static int quorum(String name, Integer value) {
    if (value == null) {
      return 0;
    }
    if (value < 1) {
      throw new CliFailure(ExitCodes.FAILED, name + "=" + value + " breaks the quorum rule 1 <= "
          + name + " <= n (INVALID_QUORUM)");
    }
    return value;
  }

  private int one(byte[] value, String context, Io io) {
    if (json()) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("found", true);
      Values.putJson(doc, value);
      doc.put("context", context);
      io.out().println(Json.write(doc));
      return ExitCodes.OK;
    }
    io.out().write(value, 0, value.length);
    if (System.console() != null && (value.length == 0 || value[value.length - 1] != '\n')) {
      io.out().println();
    }
    io.out().flush();
    io.err().println("context: " + context);
    return ExitCodes.OK;
  }

  private int siblings(NodeClient.Response answer, Io io) {
    Object parsed;
    try {
      parsed = Json.parse(answer.text());
    } catch (IllegalArgumentException e) {
      throw new CliFailure(ExitCodes.FAILED, "the node answered 300 with a body that is not the"
          + " siblings JSON: " + e.getMessage());
    }
    if (!(parsed instanceof Map) || !(((Map<?, ?>) parsed).get("siblings") instanceof List)) {
      throw new CliFailure(ExitCodes.FAILED, "the node answered 300 without a \"siblings\" list");
    }
    Map<?, ?> body = (Map<?, ?>) parsed;
    Object ctx = body.get("context") != null ? body.get("context") : answer.context();
    String context = ctx == null ? null : String.valueOf(ctx);
    List<Map<String, Object>> siblings = new ArrayList<>();
    for (Object s : (List<?>) body.get("siblings")) {
      if (!(s instanceof Map)) {
        throw new CliFailure(ExitCodes.FAILED, "a sibling in the node's 300 answer is not an"
            + " object: " + Json.write(s));
      }
      Map<?, ?> sibling = (Map<?, ?>) s;
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("value", decode(sibling.get("value")));
      out.put("timestamp", sibling.get("timestamp"));
      siblings.add(out);
    }
    return siblings(siblings, context, io);
  }

  private int siblings(List<Map<String, Object>> siblings, String context, Io io) {
    if (json()) {
      List<Object> list = new ArrayList<>();
      for (Map<String, Object> s : siblings) {
        Map<String, Object> item = new LinkedHashMap<>();
        Values.putJson(item, (byte[]) s.get("value"));
        item.put("timestamp", s.get("timestamp"));
        list.add(item);
      }
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("found", true);
      doc.put("siblings", list);
      doc.put("context", context);
      io.out().println(Json.write(doc));
      return ExitCodes.OK;
    }
    io.out().println(siblings.size() + " siblings");
    int i = 1;
    for (Map<String, Object> s : siblings) {
      io.out().println("[" + i++ + "] " + timestamp(s.get("timestamp")) + "  "
          + Values.oneLine((byte[]) s.get("value")));
    }
    io.out().flush();
    io.err().println("context: " + context);
    io.err().println("(resolve with: ringkv put " + bucket + " " + key
        + " VALUE --context " + context + ")");
    return ExitCodes.OK;
  }

  private int notFound(String context, Io io) {
    if (json()) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("found", false);
      doc.put("context", context);
      io.out().println(Json.write(doc));
    } else {
      io.err().println("not found");
    }
    return ExitCodes.FAILED;
  }

  private static byte[] decode(Object base64) {
    if (!(base64 instanceof String)) {
      throw new CliFailure(ExitCodes.FAILED, "a sibling's value in the node's 300 answer is not a"
          + " base64 string: " + Json.write(base64));
    }
    try {
      return Base64.getDecoder().decode((String) base64);
    } catch (IllegalArgumentException e) {
      throw new CliFailure(ExitCodes.FAILED, "a sibling's value in the node's 300 answer is not"
          + " base64: " + e.getMessage());
    }
  }

  private static String timestamp(Object ms) {
    if (ms instanceof Long) {
      return Instant.ofEpochMilli((Long) ms).toString();
    }
    return "(no timestamp)";
  }
}
