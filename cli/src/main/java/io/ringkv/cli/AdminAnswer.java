package io.ringkv.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** The answer to an admin request ({@code join}, {@code leave}): 2xx is done, anything else fails. */
final class AdminAnswer {
  private AdminAnswer() {
  }

  static int print(NodeClient.Response answer, String done, boolean json, ClientCommand.Io io) {
    if (answer.status() / 100 != 2) {
      throw NodeClient.failure(answer);
    }
    String body = answer.text().trim();
    if (json) {
      if (body.isEmpty()) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("status", answer.status());
        body = Json.write(doc);
      }
      io.out().println(body);
    } else {
      io.out().println(done);
      if (!body.isEmpty()) {
        io.out().println(NodeClient.oneLine(body));
      }
    }
    return ExitCodes.OK;
  }
}
