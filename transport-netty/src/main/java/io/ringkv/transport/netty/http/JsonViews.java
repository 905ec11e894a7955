package io.ringkv.transport.netty.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.GetResult;
import io.ringkv.api.NodeId;
import io.ringkv.api.Versioned;
import io.ringkv.ring.Ring;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** The JSON bodies of the HTTP API (DESIGN.md, "What users touch → HTTP API"). */
final class JsonViews {
  private JsonViews() {}

  /** {@code 300}: {@code {"context": "...", "siblings": [{"value": "<base64>", "timestamp": ms}]}}. */
  static byte[] siblings(GetResult r) {
    return Json.write(g -> {
      g.writeStartObject();
      g.writeStringField("context", r.context().encoded());
      g.writeArrayFieldStart("siblings");
      for (Versioned<Bytes> v : r.siblings()) {
        g.writeStartObject();
        g.writeStringField("value", v.value().toBase64());
        g.writeNumberField("timestamp", v.timestamp());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  /** One stored version for {@code /replicas}: clock (actor → counter), value, time, tombstone. */
  static void version(JsonGenerator g, Versioned<Bytes> v) throws IOException {
    g.writeStartObject();
    g.writeObjectFieldStart("clock");
    for (Map.Entry<Actor, Long> e : v.clock().counters().entrySet()) {
      g.writeNumberField(e.getKey().toString(), e.getValue());
    }
    g.writeEndObject();
    g.writeStringField("value", v.value().toBase64());
    g.writeNumberField("timestamp", v.timestamp());
    g.writeBooleanField("tombstone", v.tombstone());
    g.writeEndObject();
  }

  /** {@code {"version": v, "partitions": Q, "nodes": {"n1": 22}, "owners": ["n1", ...]}}. */
  static byte[] ring(RingView view) {
    Ring ring = view.ring();
    return Json.write(g -> {
      g.writeStartObject();
      g.writeNumberField("version", view.version());
      g.writeNumberField("partitions", ring.partitions());
      g.writeObjectFieldStart("nodes");
      for (Map.Entry<NodeId, Integer> e : ring.ownershipCounts().entrySet()) {
        g.writeNumberField(e.getKey().value(), e.getValue());
      }
      g.writeEndObject();
      g.writeArrayFieldStart("owners");
      for (NodeId owner : ring.owners()) {
        g.writeString(owner.value());
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  /**
   * {@code {"members": [{"id": "n1", "address": "127.0.0.1:7000", "state": "up", "hints":
   * {"count": 0, "bytes": 0, "oldestAgeMs": 0}}]}}: the hints are those the answering node holds
   * for that member.
   */
  static byte[] members(List<MemberView> members) {
    return members(members, HandoffView.NONE);
  }

  /**
   * The members, then {@code "ring": {"version": .., "pendingVersion": .., "handoff": {..}}} (the
   * ring change in progress and the answering node's part in it; see {@link HandoffView}).
   */
  static byte[] members(List<MemberView> members, HandoffView ring) {
    return Json.write(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("members");
      for (MemberView m : members) {
        g.writeStartObject();
        g.writeStringField("id", m.id().value());
        g.writeStringField("address", m.address());
        g.writeStringField("state", m.up() ? "up" : "down");
        g.writeStringField("status", m.status());
        g.writeBooleanField("ready", m.ready());
        g.writeObjectFieldStart("hints");
        g.writeNumberField("count", m.hints().count());
        g.writeNumberField("bytes", m.hints().bytes());
        g.writeNumberField("oldestAgeMs", m.hints().oldestAgeMillis());
        g.writeEndObject();
        antiEntropy(g, m.exchanges());
        g.writeEndObject();
      }
      g.writeEndArray();
      if (ring.version() > 0) {
        g.writeObjectFieldStart("ring");
        g.writeNumberField("version", ring.version());
        g.writeNumberField("pendingVersion", ring.pendingVersion());
        if (ring.pendingVersion() > 0) {
          g.writeObjectFieldStart("handoff");
          g.writeNumberField("partitions", ring.partitions());
          g.writeNumberField("done", ring.done());
          g.writeNumberField("keys", ring.keys());
          g.writeNumberField("bytes", ring.bytes());
          g.writeNumberField("keysPerSecond", ring.keysPerSecond());
          g.writeNumberField("etaMs", ring.etaMs());
          g.writeStringField("waitingFor", ring.waitingFor());
          g.writeEndObject();
        }
        g.writeEndObject();
      }
      g.writeEndObject();
    });
  }

  /** A ring change's plan; see {@link PlanView}. */
  static byte[] plan(PlanView p) {
    return Json.write(g -> {
      g.writeStartObject();
      g.writeStringField("change", p.change());
      g.writeArrayFieldStart("moves");
      for (PlanView.Move m : p.moves()) {
        g.writeStartObject();
        g.writeNumberField("partition", m.partition());
        g.writeNumberField("n", m.n());
        g.writeArrayFieldStart("from");
        for (NodeId f : m.from()) {
          g.writeString(f.value());
        }
        g.writeEndArray();
        g.writeStringField("to", m.to().value());
        g.writeNumberField("keys", m.keys());
        g.writeNumberField("bytes", m.bytes());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeNumberField("partitions", p.moves().size());
      g.writeNumberField("keys", p.keys());
      g.writeNumberField("bytes", p.bytes());
      g.writeNumberField("estimatedMs", p.estimatedMillis());
      g.writeObjectFieldStart("rate");
      g.writeNumberField("keysPerSecond", p.keysPerSecond());
      g.writeNumberField("bytesPerSecond", p.bytesPerSecond());
      g.writeEndObject();
      g.writeArrayFieldStart("unknown");
      for (NodeId u : p.unknown()) {
        g.writeString(u.value());
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  /**
   * {@code "antiEntropy": {"partitions": 2, "failed": 0, "keysRepaired": 5, "lastExchangeMs":
   * <ms>, "exchanges": [{"partition": 0, "lastMs": <ms>, "ok": true, "keysRepaired": 5,
   * "error": ""}, ...]}}: the answering node's exchanges with the member (lastExchangeMs 0: none).
   */
  private static void antiEntropy(com.fasterxml.jackson.core.JsonGenerator g,
      List<MemberView.Exchange> exchanges) throws java.io.IOException {
    long repaired = 0;
    long last = 0;
    int failed = 0;
    for (MemberView.Exchange e : exchanges) {
      repaired += e.keysRepaired();
      last = Math.max(last, e.lastMillis());
      failed += e.ok() ? 0 : 1;
    }
    g.writeObjectFieldStart("antiEntropy");
    g.writeNumberField("partitions", exchanges.size());
    g.writeNumberField("failed", failed);
    g.writeNumberField("keysRepaired", repaired);
    g.writeNumberField("lastExchangeMs", last);
    g.writeArrayFieldStart("exchanges");
    for (MemberView.Exchange e : exchanges) {
      g.writeStartObject();
      g.writeNumberField("partition", e.partition());
      g.writeNumberField("lastMs", e.lastMillis());
      g.writeBooleanField("ok", e.ok());
      g.writeNumberField("keysRepaired", e.keysRepaired());
      g.writeStringField("error", e.error());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /** {@code {"status": "ok", "node": "n1", "members": 3, "up": 3}}. */
  static byte[] health(ClusterView cluster) {
    List<MemberView> members = cluster.members();
    long up = members.stream().filter(MemberView::up).count();
    return Json.write(g -> {
      g.writeStartObject();
      g.writeStringField("status", "ok");
      g.writeStringField("node", cluster.self().value());
      g.writeNumberField("members", members.size());
      g.writeNumberField("up", up);
      g.writeEndObject();
    });
  }
}
