package io.ringkv.transport.netty.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.ringkv.api.Bytes;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;
import io.ringkv.api.Versioned;
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
    JsonWriter w = new JsonWriter().beginObject().name("preferenceList").beginArray();
    for (NodeId node : preference) {
      w.value(node.value());
    }
    w.endArray().name("replicas").beginObject();
    fetched.forEach((node, answer) -> {
      w.name(node.value());
      Siblings held = answer != null && answer.isDone() && !answer.isCompletedExceptionally()
          ? answer.getNow(null) : null;
      if (held == null) {
        w.beginObject().field("error", "down").endObject();
      } else {
        versions(w, held);
      }
    });
    w.endObject().name("hints").beginArray();
    for (HintView h : hints) {
      w.beginObject().field("heldBy", h.heldBy().value())
          .field("intendedFor", h.intendedFor().value()).name("versions");
      versions(w, h.versions());
      w.endObject();
    }
    w.endArray().endObject();
    return Reply.json(HttpResponseStatus.OK, w.toUtf8());
  }

  private static void versions(JsonWriter w, Siblings siblings) {
    w.beginArray();
    for (Versioned<Bytes> v : siblings.versions()) {
      JsonViews.version(w, v);
    }
    w.endArray();
  }
}
