package io.ringkv.server.demo;

import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.GetResult;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.PutResult;
import io.ringkv.api.ReplicaReceipt;
import io.ringkv.api.RequestOptions;
import io.ringkv.api.Siblings;
import io.ringkv.replication.ReplicaNode;
import io.ringkv.resolver.BuiltInResolvers;
import io.ringkv.resolver.LoadedPlugin;
import io.ringkv.resolver.PluginLoader;
import io.ringkv.server.config.BucketConfig;
import io.ringkv.server.config.ClusterConfig;
import io.ringkv.server.config.PluginsConfig;
import io.ringkv.server.config.ReplicationConfig;
import io.ringkv.server.embedded.EmbeddedCluster;
import io.ringkv.storage.spi.HintBacklog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * {@code ringkv demo}: a 3-node cluster in this JVM on the embedded defaults, walked through put
 * and get, concurrent puts and their siblings, resolution by the client, the {@code lww} and
 * {@code set-union} resolvers, the {@code numeric-max} plugin when its jar is in the plugins
 * folder, and a node going down while writes go on, then coming back and receiving what it missed
 * by hinted handoff, without any read. Every step checks its outcome: a step that does
 * not behave as narrated fails the demo with an {@link IllegalStateException}.
 */
public final class Demo {
  /** The resolver the example plugin offers; its part of the demo runs when it is loaded. */
  public static final String NUMERIC_MAX = "numeric-max";

  private final PrintWriter out;
  private final EmbeddedCluster cluster;
  private final Path pluginsDir;
  private final List<LoadedPlugin> plugins;

  private Demo(PrintWriter out, EmbeddedCluster cluster, Path pluginsDir, List<LoadedPlugin> plugins) {
    this.out = out;
    this.cluster = cluster;
    this.pluginsDir = pluginsDir;
    this.plugins = plugins;
  }

  /** Runs the walk-through, narrating on {@code out}; throws when a step fails. */
  public static void run(Path pluginsDir, PrintWriter out) {
    List<LoadedPlugin> plugins = PluginLoader.load(pluginsDir);
    ClusterConfig config = ClusterConfig.embedded(new PluginsConfig(pluginsDir))
        .withBucket(BucketConfig.named("sessions").withResolver(BuiltInResolvers.LWW))
        .withBucket(BucketConfig.named("carts").withResolver(BuiltInResolvers.SET_UNION));
    if (offers(plugins, NUMERIC_MAX)) {
      config = config.withBucket(BucketConfig.named("scores").withResolver(NUMERIC_MAX));
    }
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(config).nodes(3).plugins(plugins).start()) {
      new Demo(out, cluster, pluginsDir, plugins).walkThrough();
    } finally {
      out.flush();
    }
  }

  private static boolean offers(List<LoadedPlugin> plugins, String resolver) {
    return plugins.stream().flatMap(p -> p.plugin().conflictResolverFactories().stream())
        .anyMatch(f -> resolver.equals(f.name()));
  }

  private void walkThrough() {
    intro();
    Context seen = putAndGet();
    Context conflict = concurrentPuts(seen);
    resolve(conflict);
    lww();
    setUnion();
    numericMax();
    nodeDown();
    heading("done: every step behaved as described");
  }

  private void intro() {
    ClusterConfig c = cluster.config();
    ReplicationConfig r = c.replication();
    out.println("ringkv demo: " + cluster.size() + " nodes in one JVM (" + cluster.ring().nodes()
        .stream().map(NodeId::value).collect(Collectors.joining(", ")) + ") over an in-process network");
    out.println("  ring: " + c.ring().partitions() + " partitions; defaults N=" + r.defaults().n()
        + " R=" + r.defaults().r() + " W=" + r.defaults().w() + ", timeout "
        + r.requestTimeout().toMillis() + " ms, resolver " + c.resolvers().defaultResolver());
    out.println("  plugins folder: " + pluginsDir.toAbsolutePath().normalize() + " ("
        + (plugins.isEmpty() ? "no plugins" : plugins.stream().map(LoadedPlugin::name)
            .collect(Collectors.joining(", "))) + ")");
    out.println("  resolvers: " + String.join(", ", cluster.resolvers()));
    out.println("  buckets: users (" + c.resolvers().defaultResolver() + ", the default), "
        + c.resolvers().buckets().values().stream()
            .map(b -> b.name() + " (" + b.resolverOr(c.resolvers().defaultResolver()) + ")")
            .collect(Collectors.joining(", ")));
  }

  // ------------------------------------------------------------------ the siblings resolver

  private Context putAndGet() {
    heading("1. put and get (bucket users, resolver siblings)");
    Key key = Key.of("users", "alice");
    out.println("key " + key + ": replicas " + replicas(key) + " (the first reachable one coordinates)");
    put(0, key, Context.EMPTY, "Alice");
    GetResult got = get(2, key);
    check(got.isFound() && !got.hasConflict() && got.value().equals(Bytes.utf8("Alice")),
        "the get returns the value just put", got);
    return got.context();
  }

  private Context concurrentPuts(Context seen) {
    heading("2. two concurrent puts from the same context -> siblings");
    Key key = Key.of("users", "alice");
    put(0, key, seen, "Alice Smith");
    put(1, key, seen, "Alice Jones");
    out.println("neither write saw the other: both are kept");
    GetResult got = get(2, key);
    check(got.siblings().size() == 2, "the get returns 2 siblings", got);
    out.println("the client gets both values and one context that covers them both");
    return got.context();
  }

  private void resolve(Context conflict) {
    heading("3. resolution: a put with the siblings' context replaces both");
    Key key = Key.of("users", "alice");
    put(1, key, conflict, "Alice Smith-Jones");
    GetResult got = get(0, key);
    check(got.isFound() && !got.hasConflict()
        && got.value().equals(Bytes.utf8("Alice Smith-Jones")), "one resolved value", got);
    out.println("resolved: one value left");
  }

  // ------------------------------------------------------------------ merging resolvers

  private void lww() {
    heading("4. bucket sessions, resolver lww: the later write wins");
    Key key = Key.of("sessions", "s42");
    put(0, key, Context.EMPTY, "token-A");
    Waits.nextMillisecond();
    put(1, key, Context.EMPTY, "token-B");
    Siblings before = Waits.result(coordinator(key).readSiblings(key, RequestOptions.DEFAULT));
    out.println("the replicas hold " + before.size() + " concurrent versions: " + Show.held(before));
    check(before.size() == 2, "2 concurrent versions before the get", before);
    GetResult got = get(2, key);
    check(got.isFound() && !got.hasConflict() && got.value().equals(Bytes.utf8("token-B")),
        "lww keeps the later write", got);
    Siblings after = Waits.result(coordinator(key).readSiblings(key, RequestOptions.DEFAULT));
    out.println("lww winner " + Show.value(got.value()) + ", written back: the replicas now hold "
        + after.size() + " version: " + Show.held(after));
    check(after.size() == 1, "one version after the write-back", after);
  }

  private void setUnion() {
    heading("5. bucket carts, resolver set-union: concurrent carts are merged");
    Key key = Key.of("carts", "bob");
    Context cart = put(0, key, Context.EMPTY, "apple\nbread").context();
    put(1, key, cart, "apple\nbread\nmilk");
    put(2, key, cart, "apple\nbread\neggs");
    GetResult got = get(0, key);
    check(got.isFound() && !got.hasConflict()
        && got.value().equals(Bytes.utf8("apple\nbread\neggs\nmilk")), "the union of both carts", got);
    out.println("carts merged into one: " + Show.value(got.value()) + " (written back)");
  }

  private void numericMax() {
    if (!cluster.resolvers().contains(NUMERIC_MAX)) {
      heading("6. plugin numeric-max: skipped (no plugin offering it in "
          + pluginsDir.toAbsolutePath().normalize() + ")");
      return;
    }
    heading("6. bucket scores, resolver numeric-max (a plugin): the highest score wins");
    Key key = Key.of("scores", "game1");
    put(0, key, Context.EMPTY, "120");
    put(1, key, Context.EMPTY, "95");
    GetResult got = get(2, key);
    check(got.isFound() && !got.hasConflict() && got.value().equals(Bytes.utf8("120")),
        "numeric-max keeps 120", got);
    out.println("numeric-max kept " + Show.value(got.value())
        + " although \"95\" was written later (lww would keep \"95\")");
  }

  // ------------------------------------------------------------------ a node down

  private void nodeDown() {
    heading("7. a node down: writes and reads still succeed with N=3 W=2 R=2, and hinted handoff");
    Key key = Key.of("users", "carol");
    List<NodeId> replicas = replicas(key);
    int down = cluster.indexOf(replicas.get(0));
    int other = cluster.indexOf(replicas.get(1));
    int third = cluster.indexOf(replicas.get(2));
    out.println("key " + key + ": replicas " + replicas);
    Context first = put(other, key, Context.EMPTY, "v1").context();
    for (int i = 0; i < cluster.size(); i++) {
      awaitHolds(i, key, "v1");
    }
    out.println("all three replicas hold \"v1\"");
    cluster.stop(down);
    out.println("node " + cluster.id(down) + " is down (disconnected: it neither sends nor"
        + " answers, the others see it down); it coordinated this key");
    PutResult written = put(other, key, first, "v2");
    check(written.replicas().contains(ReplicaReceipt.hint(cluster.id(other), cluster.id(down))),
        "the receipt names the hint kept for " + cluster.id(down), written.receipt());
    out.println("write still succeeds: W=2 reached without " + cluster.id(down) + "; with no node"
        + " beyond the top 3 to stand in for it, coordinator " + cluster.id(other)
        + " keeps a hint for it (" + cluster.node(other).hintBacklogs().get(cluster.id(down))
        .hints() + " hint held)");
    GetResult got = get(third, key);
    check(got.isFound() && !got.hasConflict() && got.value().equals(Bytes.utf8("v2")),
        "the read sees v2 without the down node", got);
    out.println("read still succeeds: R=2 reached without " + cluster.id(down));
    Siblings stale = cluster.node(down).local(key);
    out.println(cluster.id(down) + " holds (before): " + Show.held(stale));
    cluster.start(down);
    out.println("node " + cluster.id(down) + " is back; no read of the key is made");
    Siblings handedOff = awaitHolds(down, key, "v2");
    out.println("hinted handoff sent it the write it missed; " + cluster.id(down)
        + " holds (after): " + Show.held(handedOff) + ", hints left on " + cluster.id(other)
        + " for it: " + awaitHintsReleased(other, down));
  }

  // ------------------------------------------------------------------ helpers

  private void heading(String title) {
    out.println();
    out.println("== " + title + " ==");
  }

  private List<NodeId> replicas(Key key) {
    int n = cluster.config().replication().defaults().n();
    return cluster.ring().preferenceList(key, n).primaries();
  }

  private ReplicaNode coordinator(Key key) {
    return cluster.node(cluster.indexOf(replicas(key).get(0)));
  }

  private PutResult put(int via, Key key, Context context, String value) {
    PutResult after = Waits.result(cluster.store(via).put(key, context, Bytes.utf8(value)));
    out.println("put " + key + " = " + Show.value(Bytes.utf8(value)) + " with context "
        + Show.context(context) + " via " + cluster.id(via) + " -> ok, context "
        + Show.context(after.context()) + ", replicas " + after.receipt());
    return after;
  }

  private GetResult get(int via, Key key) {
    GetResult got = Waits.result(cluster.store(via).get(key));
    out.println("get " + key + " via " + cluster.id(via) + " -> " + Show.result(got)
        + ", context " + Show.context(got.context()));
    return got;
  }

  /** The hints node {@code i} still holds for {@code target}, once none are left (bounded). */
  private long awaitHintsReleased(int i, int target) {
    long deadline = System.nanoTime() + Waits.BOUND.toNanos();
    long left = hintsFor(i, target);
    while (left > 0 && System.nanoTime() < deadline) {
      Waits.pause(5);
      left = hintsFor(i, target);
    }
    return left;
  }

  private long hintsFor(int i, int target) {
    HintBacklog backlog = cluster.node(i).hintBacklogs().get(cluster.id(target));
    return backlog == null ? 0 : backlog.hints();
  }

  /** Waits (bounded) until node {@code i} itself holds exactly one version, {@code value}. */
  private Siblings awaitHolds(int i, Key key, String value) {
    Predicate<Siblings> holds = s -> s.size() == 1
        && s.versions().get(0).value().equals(Bytes.utf8(value));
    long deadline = System.nanoTime() + Waits.BOUND.toNanos();
    Siblings s = cluster.node(i).local(key);
    while (!holds.test(s)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("demo step failed: " + cluster.id(i) + " should hold \""
            + value + "\" within " + Waits.BOUND.toSeconds() + " s, holds " + Show.held(s));
      }
      Waits.pause(5);
      s = cluster.node(i).local(key);
    }
    return s;
  }

  private static void check(boolean ok, String expected, Object actual) {
    if (!ok) {
      throw new IllegalStateException("demo step failed: expected " + expected + ", got "
          + (actual instanceof GetResult g ? Show.result(g) + " " + Show.context(g.context())
              : actual instanceof Siblings s ? Show.held(s) : String.valueOf(actual)));
    }
  }
}
