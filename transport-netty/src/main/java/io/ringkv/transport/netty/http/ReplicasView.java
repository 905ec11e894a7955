package io.ringkv.transport.netty.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.ringkv.api.Bytes;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;
import io.ringkv.api.Versioned;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /buckets/{b}/keys/{k}/replicas}: asks every node of the preference list directly and
 * renders, once all have answered or the timeout passed,
 * {@code {"preferenceList": [...], "replicas": {"n1": [versions], "n3": {"error": "down"}},
 * "hints": [...]}}.
 */
final class ReplicasView {
  private ReplicasView() {}

  static CompletableFuture<Reply> render(Key key, ClusterView cluster, Duration timeout,
      ScheduledExecutorService timer) {
    List<NodeId> preference = cluster.preferenceList(key);
    Map<NodeId, CompletableFuture<Siblings>> fetched = new LinkedHashMap<>();
    Map<NodeId, CompletableFuture<Siblings>> answers = cluster.fetchReplicas(key);
    for (NodeId node : preference) {
      fetched.put(node, answers.get(node));
    }
    answers.forEach(fetched::putIfAbsent);
    Map<NodeId, CompletableFuture<Map<NodeId, Siblings>>> hinted = cluster.hints(key);

    CompletableFuture<Reply> reply = new CompletableFuture<>();
    List<CompletableFuture<?>> waiting = new ArrayList<>();
    fetched.values().forEach(f -> {
      if (f != null) {
        waiting.add(f);
      }
    });
    hinted.values().forEach(f -> {
      if (f != null) {
        waiting.add(f);
      }
    });
    ScheduledFuture<?> deadline = timer.schedule(
        () -> reply.complete(body(preference, fetched, hints(hinted))),
        timeout.toMillis(), TimeUnit.MILLISECONDS);
    CompletableFuture.allOf(waiting.toArray(new CompletableFuture<?>[0])).whenComplete((v, e) -> {
      deadline.cancel(false);
      reply.complete(body(preference, fetched, hints(hinted)));
    });
    return reply;
  }

  /** The hints of every holder that answered in time, holder by holder, owner by owner. */
  private static List<HintView> hints(Map<NodeId, CompletableFuture<Map<NodeId, Siblings>>> all) {
    List<HintView> out = new ArrayList<>();
    all.forEach((holder, f) -> {
      Map<NodeId, Siblings> held = f != null && f.isDone() && !f.isCompletedExceptionally()
          ? f.getNow(Map.of()) : Map.of();
      new java.util.TreeMap<>(held).forEach((owner, versions) ->
          out.add(new HintView(holder, owner, versions)));
    });
    return out;
  }

  private static Reply body(List<NodeId> preference,
      Map<NodeId, CompletableFuture<Siblings>> fetched, List<HintView> hints) {
    return Reply.json(HttpResponseStatus.OK, Json.write(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("preferenceList");
      for (NodeId node : preference) {
        g.writeString(node.value());
      }
      g.writeEndArray();
      g.writeObjectFieldStart("replicas");
      for (Map.Entry<NodeId, CompletableFuture<Siblings>> e : fetched.entrySet()) {
        g.writeFieldName(e.getKey().value());
        CompletableFuture<Siblings> answer = e.getValue();
        Siblings held = answer != null && answer.isDone() && !answer.isCompletedExceptionally()
            ? answer.getNow(null) : null;
        if (held == null) {
          g.writeStartObject();
          g.writeStringField("error", "down");
          g.writeEndObject();
        } else {
          versions(g, held);
        }
      }
      g.writeEndObject();
      g.writeArrayFieldStart("hints");
      for (HintView h : hints) {
        g.writeStartObject();
        g.writeStringField("heldBy", h.heldBy().value());
        g.writeStringField("intendedFor", h.intendedFor().value());
        g.writeFieldName("versions");
        versions(g, h.versions());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }));
  }

  private static void versions(JsonGenerator g, Siblings siblings) throws IOException {
    g.writeStartArray();
    for (Versioned<Bytes> v : siblings.versions()) {
      JsonViews.version(g, v);
    }
    g.writeEndArray();
  }
}
