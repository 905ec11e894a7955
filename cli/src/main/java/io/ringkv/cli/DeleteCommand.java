package io.ringkv.cli;

import io.ringkv.api.Context;
import io.ringkv.api.PutResult;
import io.ringkv.api.RequestOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ringkv delete BUCKET KEY --context C}: {@code DELETE /buckets/{b}/keys/{k}}. */
@Command(name = "delete", sortOptions = false,
    description = {"Deletes the versions a get returned (writes a tombstone that supersedes"
        + " them).", "",
        "Prints 'deleted BUCKET/KEY', or with --json {\"deleted\": true, \"context\": ...}"
            + " (the tombstone's context when the node returns one, else null)."},
    footer = ClientCommand.EXIT_CODES)
public final class DeleteCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "BUCKET", description = "the bucket")
  String bucket;

  @Parameters(index = "1", paramLabel = "KEY", description = "the key")
  String key;

  @Option(names = "--context", paramLabel = "C", required = true,
      description = "the context of an earlier get: the versions to delete")
  String context;

  @Option(names = "--w", paramLabel = "N",
      description = "write quorum for this request (default: the bucket's W)")
  Integer w;

  @Override
  int run(NodeClient client, Io io) {
    String path = NodeClient.keyPath(bucket, key) + (w == null ? "" : "?w=" + w);
    NodeClient.Response answer = client.send("DELETE", path,
        Map.of(NodeClient.CONTEXT_HEADER, context), null);
    if (answer.status() / 100 != 2) {
      throw NodeClient.failure(answer);
    }
    if (json()) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("deleted", true);
      doc.put("context", answer.context());
      io.out().println(Json.write(doc));
    } else {
      io.out().println("deleted " + bucket + "/" + key);
    }
    return ExitCodes.OK;
  }

  @Override
  boolean speaksBinary() {
    return true;
  }

  @Override
  int runBinary(BinaryNode node, Io io) {
    Context ctx = PutCommand.parseContext(context);
    RequestOptions options = RequestOptions.DEFAULT.withW(GetCommand.quorum("w", w));
    PutResult deleted = node.call(c -> c.delete(bucket, key, ctx, options));
    if (json()) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("deleted", true);
      doc.put("context", deleted.context().encoded());
      io.out().println(Json.write(doc));
    } else {
      io.out().println("deleted " + bucket + "/" + key);
    }
    return ExitCodes.OK;
  }
}
