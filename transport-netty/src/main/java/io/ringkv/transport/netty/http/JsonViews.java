package io.ringkv.transport.netty.http;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.GetResult;
import io.ringkv.api.NodeId;
import io.ringkv.api.Versioned;
import io.ringkv.ring.Ring;
import java.util.List;
import java.util.Map;

/** The JSON bodies of the HTTP API (DESIGN.md, "What users touch → HTTP API"). */
final class JsonViews {
  private JsonViews() {}

  /** {@code 300}: {@code {"context": "...", "siblings": [{"value": "<base64>", "timestamp": ms}]}}. */
  static byte[] siblings(GetResult r) {
    JsonWriter w = new JsonWriter().beginObject().field("context", r.context().encoded())
        .name("siblings").beginArray();
    for (Versioned<Bytes> v : r.siblings()) {
      w.beginObject().field("value", v.value().toBase64()).field("timestamp", v.timestamp())
          .endObject();
    }
    return w.endArray().endObject().toUtf8();
  }

  /** One stored version for {@code /replicas}: clock (actor → counter), value, time, tombstone. */
  static void version(JsonWriter w, Versioned<Bytes> v) {
    w.beginObject().name("clock").beginObject();
    for (Map.Entry<Actor, Long> e : v.clock().counters().entrySet()) {
      w.field(e.getKey().toString(), e.getValue());
    }
    w.endObject().field("value", v.value().toBase64()).field("timestamp", v.timestamp())
        .field("tombstone", v.tombstone()).endObject();
  }

  /** {@code {"version": v, "partitions": Q, "nodes": {"n1": 22}, "owners": ["n1", ...]}}. */
  static byte[] ring(RingView view) {
    Ring ring = view.ring();
    JsonWriter w = new JsonWriter().beginObject().field("version", view.version())
        .field("partitions", ring.partitions()).name("nodes").beginObject();
    for (Map.Entry<NodeId, Integer> e : ring.ownershipCounts().entrySet()) {
      w.field(e.getKey().value(), e.getValue());
    }
    w.endObject().name("owners").beginArray();
    for (NodeId owner : ring.owners()) {
      w.value(owner.value());
    }
    return w.endArray().endObject().toUtf8();
  }

  /**
   * {@code {"members": [{"id": "n1", "address": "127.0.0.1:7000", "state": "up", "hints":
   * {"count": 0, "bytes": 0, "oldestAgeMs": 0}}]}}: the hints are those the answering node holds
   * for that member.
   */
  static byte[] members(List<MemberView> members) {
    JsonWriter w = new JsonWriter().beginObject().name("members").beginArray();
    for (MemberView m : members) {
      w.beginObject().field("id", m.id().value()).field("address", m.address())
          .field("state", m.up() ? "up" : "down").name("hints").beginObject()
          .field("count", m.hints().count()).field("bytes", m.hints().bytes())
          .field("oldestAgeMs", m.hints().oldestAgeMillis()).endObject().endObject();
    }
    return w.endArray().endObject().toUtf8();
  }

  /** {@code {"status": "ok", "node": "n1", "members": 3, "up": 3}}. */
  static byte[] health(ClusterView cluster) {
    List<MemberView> members = cluster.members();
    long up = members.stream().filter(MemberView::up).count();
    return new JsonWriter().beginObject().field("status", "ok")
        .field("node", cluster.self().value()).field("members", members.size())
        .field("up", up).endObject().toUtf8();
  }
}
