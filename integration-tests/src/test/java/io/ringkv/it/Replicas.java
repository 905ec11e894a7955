package io.ringkv.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * What {@code GET /buckets/{b}/keys/{k}/replicas} says a node holds: asked directly, with no
 * quorum and no read repair, so looking never changes what is looked at.
 */
final class Replicas {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final JsonNode body;

  private Replicas(JsonNode body) {
    this.body = body;
  }

  static Replicas of(String http, String bucket, String key)
      throws IOException, InterruptedException {
    HttpResponse<String> r = Http.get(http + "/buckets/" + bucket + "/keys/" + key + "/replicas");
    if (r.statusCode() != 200) {
      throw new IllegalStateException("/replicas of " + key + " answered " + r.statusCode() + ": "
          + r.body());
    }
    return new Replicas(JSON.readTree(r.body()));
  }

  /** The live values node {@code node} holds for the key; null when it did not answer. */
  List<String> values(String node) {
    JsonNode held = body.path("replicas").path(node);
    if (!held.isArray()) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (JsonNode v : held) {
      if (!v.path("tombstone").asBoolean()) {
        out.add(new String(Base64.getDecoder().decode(v.path("value").asText()),
            StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  /**
   * Every version node {@code node} holds for the key, tombstones included, as the route renders
   * them (clock, value, timestamp, tombstone); null when it did not answer.
   */
  JsonNode versions(String node) {
    JsonNode held = body.path("replicas").path(node);
    return held.isArray() ? held : null;
  }

  /** The nodes the key's preference list names, in order. */
  List<String> preferenceList() {
    List<String> out = new ArrayList<>();
    body.path("preferenceList").forEach(n -> out.add(n.asText()));
    return out;
  }

  /** How many hints the cluster reports for the key, across all holders. */
  int hints() {
    return body.path("hints").size();
  }

  static JsonNode json(String text) throws IOException {
    return JSON.readTree(text);
  }

  @Override
  public String toString() {
    return body.toString();
  }
}
