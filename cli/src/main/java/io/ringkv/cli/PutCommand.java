package io.ringkv.cli;

import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.PutResult;
import io.ringkv.api.RequestOptions;
import io.ringkv.api.RingkvException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ringkv put BUCKET KEY VALUE}: {@code PUT /buckets/{b}/keys/{k}}, prints the new context. */
@Command(name = "put", sortOptions = false,
    description = {"Writes a value through the node (W replicas acknowledge).", "",
        "Prints the new version's context on stdout (one line, nothing else), or with --json"
            + " {\"context\": \"...\"}.",
        "Without --context the value is concurrent with whatever the key holds (siblings,"
            + " unless the bucket resolves them); with the context of a get it supersedes"
            + " exactly what that get returned."},
    footer = ClientCommand.EXIT_CODES)
public final class PutCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "BUCKET", description = "the bucket")
  String bucket;

  @Parameters(index = "1", paramLabel = "KEY", description = "the key")
  String key;

  @Parameters(index = "2", paramLabel = "VALUE",
      description = "the value (UTF-8); '-' reads the value's bytes from stdin")
  String value;

  @Option(names = "--context", paramLabel = "C",
      description = "the context of an earlier get: the versions this write supersedes")
  String context;

  @Option(names = "--w", paramLabel = "N",
      description = "write quorum for this request (default: the bucket's W)")
  Integer w;

  @Override
  int run(NodeClient client, Io io) {
    byte[] bytes = value.equals("-") ? readAll(io) : value.getBytes(StandardCharsets.UTF_8);
    String path = NodeClient.keyPath(bucket, key) + (w == null ? "" : "?w=" + w);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/octet-stream");
    if (context != null) {
      headers.put(NodeClient.CONTEXT_HEADER, context);
    }
    NodeClient.Response answer = client.send("PUT", path, headers, bytes);
    if (answer.status() / 100 != 2) {
      throw NodeClient.failure(answer);
    }
    if (json()) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("context", answer.context());
      io.out().println(Json.write(doc));
    } else if (answer.context() != null) {
      io.out().println(answer.context());
    } else {
      io.err().println("stored; the node returned no context (HTTP " + answer.status() + ")");
    }
    return ExitCodes.OK;
  }

  @Override
  boolean speaksBinary() {
    return true;
  }

  @Override
  int runBinary(BinaryNode node, Io io) {
    byte[] bytes = value.equals("-") ? readAll(io) : value.getBytes(StandardCharsets.UTF_8);
    Context ctx = parseContext(context);
    RequestOptions options = RequestOptions.DEFAULT.withW(GetCommand.quorum("w", w));
    PutResult written = node.call(c -> c.put(bucket, key, Bytes.of(bytes), ctx, options));
    printContext(written.context().encoded(), io);
    return ExitCodes.OK;
  }

  private void printContext(String newContext, Io io) {
    if (json()) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("context", newContext);
      io.out().println(Json.write(doc));
    } else {
      io.out().println(newContext);
    }
  }

  /** {@code --context} as the node would read it: a bad one is the node's INVALID_CONTEXT. */
  static Context parseContext(String text) {
    if (text == null) {
      return Context.EMPTY;
    }
    try {
      return Context.parse(text);
    } catch (RingkvException e) {
      throw new CliFailure(ExitCodes.FAILED, NodeClient.oneLine(String.valueOf(e.getMessage()))
          + " (" + e.code() + ")");
    }
  }

  private static byte[] readAll(Io io) {
    try {
      return io.in().readAllBytes();
    } catch (IOException e) {
      throw new CliFailure(ExitCodes.FAILED, "cannot read the value from stdin: " + e.getMessage());
    }
  }
}
