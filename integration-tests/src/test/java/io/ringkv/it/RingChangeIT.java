package io.ringkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Partition handoff on ring changes, on real nodes from the distribution (N=3 R=2 W=2, the log
 * engine): a fourth node joins and then another node leaves while a writer keeps updating keys,
 * and a joining node killed with SIGKILL in the middle of its transfer finishes it after its
 * restart. Afterwards every key is held by exactly the nodes of its preference list in the new
 * ring, all with the same versions, and nothing acknowledged is lost.
 *
 * <p>"Exactly" is checked in two halves that together leave no room: {@code /replicas} (which
 * never repairs) shows each key on each of its three replicas, and the {@code ringkv_storage_keys}
 * of the live nodes add up to keys x 3, so no other node keeps a copy.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RingChangeIT {
  private static final String STORED = "ringkv_storage_keys{engine=\"log\"}";
  private static final String PENDING = "ringkv_ring_pending_version";
  private static final String VERSION = "ringkv_ring_version";
  private static final String GAINED = "ringkv_handoff_partitions{state=\"gained\"}";
  private static final String DONE = "ringkv_handoff_partitions{state=\"done\"}";
  private static final String HANDED_OFF = "ringkv_handoff_keys_handed_off_total";
  private static final int N = 3;

  /** {@code host:port} as the launcher's {@code --node} takes it: node i's HTTP address. */
  private static String httpAddress(LocalCluster c, int i) {
    return c.host(i) + ":" + c.httpPorts[i];
  }

  @Test
  void aFourthNodeJoinsThenAnotherLeavesUnderWritesAndEveryKeyEndsOnExactlyItsReplicas()
      throws Exception {
    int keys = 300;
    LocalCluster cluster = LocalCluster.withSpares("ring-join-leave", 3, 1,
        LocalCluster.quorumConfig("antientropy.interval", "3s"));
    LocalCluster.run(cluster, c -> {
      long t0 = System.nanoTime();
      Map<String, KeyLog> ledger = new LinkedHashMap<>();
      for (int i = 0; i < keys; i++) {
        String key = "k" + i;
        String value = key + "@0";
        HttpResponse<String> put = Http.put(LocalCluster.keyUrl(c, i % 3, key) + "?w=2", value, null);
        assertThat(put.statusCode()).as("put %s: %s", key, put.body()).isEqualTo(204);
        ledger.put(key, new KeyLog(value));
      }
      Writer writer = new Writer(c, ledger, List.of(0, 1, 2));
      Thread thread = new Thread(writer, "ring-it-writer");
      thread.setDaemon(true);
      thread.start();
      try {
        Awaitility.await("the writer is under way").atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(100)).until(() -> writer.acked.get() >= 20);

        // n4 starts a ring of its own (no seeds), then is asked to join n1's.
        c.writeConfig(3, false);
        c.start(3);
        c.awaitHealthy(3, Duration.ofSeconds(60));
        long joinAt = System.nanoTime();
        long ackedBeforeJoin = writer.acked.get();
        Cli join = Cli.run(c.home, "join", "--seed", c.host(0) + ":" + c.peerPort(0),
            "--node", httpAddress(c, 3));
        assertThat(join.exit).as(join.output).isZero();
        writer.via = List.of(0, 1, 2, 3);
        awaitRing(c, List.of(0, 1, 2, 3), Set.of("n1", "n2", "n3", "n4"),
            Duration.ofSeconds(90));
        long joinMs = (System.nanoTime() - joinAt) / 1_000_000;
        long ackedDuringJoin = writer.acked.get() - ackedBeforeJoin;

        long leaveAt = System.nanoTime();
        Cli leave = Cli.run(c.home, "leave", "--node", httpAddress(c, 1));
        assertThat(leave.exit).as(leave.output).isZero();
        Awaitility.await("n2 reports left").atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(200)).ignoreExceptionsInstanceOf(IOException.class)
            .until(() -> "left".equals(member(c, 1, "n2").path("status").asText()));
        long leaveMs = (System.nanoTime() - leaveAt) / 1_000_000;
        writer.via = List.of(0, 2, 3);
        long ackedDuringLeave = writer.acked.get() - ackedBeforeJoin - ackedDuringJoin;
        writer.stop();
        thread.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(thread.isAlive()).as("the writer stopped").isFalse();
        assertThat(writer.crash).as("the writer's crash").isNull();

        System.out.printf("join + leave under writes: join took %d ms (%d updates acknowledged"
            + " meanwhile), leave %d ms (%d updates); writer: %s%n", joinMs, ackedDuringJoin,
            leaveMs, ackedDuringLeave, writer);
        assertThat(ackedDuringJoin).as("updates acknowledged during the join").isPositive();
        assertThat(ackedDuringLeave).as("updates acknowledged during the leave").isPositive();
        assertThat(writer.missing.get()).as("reads of a written key that found nothing: %s",
            writer.problems).isZero();

        assertThat(c.metric(1, STORED)).as("keys n2 holds once it reports left").isZero();
        // A clean stop: the JVM exits 143 (128 + SIGTERM) once its shutdown hook has run.
        assertThat(c.stop(1)).as("n2's exit code on SIGTERM after it left").isIn(0, 143);
        List<Integer> live = List.of(0, 2, 3);
        awaitRing(c, live, Set.of("n1", "n3", "n4"), Duration.ofSeconds(10));
        awaitEveryKeyOnExactlyItsReplicas(c, live, ledger.keySet(), Duration.ofSeconds(60));

        // Only now read through a quorum (which may read-repair): the latest acknowledged value.
        List<String> wrong = new ArrayList<>();
        int siblings = 0;
        int i = 0;
        for (Map.Entry<String, KeyLog> e : ledger.entrySet()) {
          List<String> values = read(c, live.get(i++ % live.size()), e.getKey());
          if (values.size() > 1) {
            siblings++;
          }
          if (values.stream().noneMatch(e.getValue().latest()::contains)) {
            wrong.add(e.getKey() + ": read " + values + ", latest " + e.getValue().latest());
          }
        }
        assertThat(wrong).as("keys that do not read their latest acknowledged value").isEmpty();
        double handedOff = 0;
        for (int n = 0; n < c.nodes(); n++) {
          handedOff += n == 1 ? 0 : c.metric(n, HANDED_OFF);
        }
        System.out.printf("every one of %d keys on exactly its 3 replicas with equal versions,"
            + " %d with siblings; keys handed off by n1, n3, n4: %.0f; total %d ms%n", keys,
            siblings, handedOff, (System.nanoTime() - t0) / 1_000_000);
      } finally {
        writer.stop();
        thread.join(TimeUnit.SECONDS.toMillis(30));
      }
    });
  }

  @Test
  void aJoiningNodeKilledDuringItsTransferFinishesItAfterItsRestartAndNoKeyIsLost()
      throws Exception {
    int keys = 1500;
    LocalCluster cluster = LocalCluster.withSpares("ring-kill", 3, 1,
        LocalCluster.quorumConfig("antientropy.interval", "5s", "antientropy.max.rate", "200/s"));
    LocalCluster.run(cluster, c -> {
      long t0 = System.nanoTime();
      Map<String, String> written = putInParallel(c, keys);
      List<Integer> old = List.of(0, 1, 2);
      Awaitility.await("n1, n2 and n3 hold all " + keys + " keys").atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500)).ignoreExceptionsInstanceOf(IOException.class)
          .until(() -> storedOn(c, old) == (long) keys * N);
      long writtenMs = (System.nanoTime() - t0) / 1_000_000;

      c.start(3); // its configuration names n1 as its seed: it joins at its first start
      c.awaitHealthy(3, Duration.ofSeconds(60));
      long joinAt = System.nanoTime();
      double[] seen = new double[2];
      // Killed with a good part of its partitions in (a quarter, at least one), not all.
      Awaitility.await("n4's transfer is under way: 0 < gained / 4 <= done < gained")
          .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .ignoreExceptionsInstanceOf(IOException.class).until(() -> {
            double gained = c.metric(3, GAINED);
            double done = c.metric(3, DONE);
            seen[0] = gained;
            seen[1] = done;
            return done > 0 && done >= gained / 4 && done < gained;
          });
      double heldAtKill = c.metric(3, STORED);
      c.kill(3);
      long killedAt = System.nanoTime();
      System.out.printf("n4 killed with %.0f of %.0f partitions in, %.0f keys held%n", seen[1],
          seen[0], heldAtKill);
      for (int n : old) {
        assertThat(c.metric(n, PENDING)).as("n%d's pending ring with n4 down", n + 1)
            .isPositive();
        assertThat(ringNodes(c, n)).as("n%d's ring with n4 down", n + 1)
            .containsExactlyInAnyOrder("n1", "n2", "n3");
      }

      c.start(3); // the same configuration and data folder
      c.awaitHealthy(3, Duration.ofSeconds(60));
      List<Integer> all = List.of(0, 1, 2, 3);
      awaitRing(c, all, Set.of("n1", "n2", "n3", "n4"), Duration.ofSeconds(90));
      long resumedMs = (System.nanoTime() - killedAt) / 1_000_000;
      awaitEveryKeyOnExactlyItsReplicas(c, all, written.keySet(), Duration.ofSeconds(60));

      List<String> wrong = new ArrayList<>();
      for (Map.Entry<String, String> e : written.entrySet()) {
        Replicas r = Replicas.of(c.http(0), "b", e.getKey());
        for (String holder : r.preferenceList()) {
          if (!List.of(e.getValue()).equals(r.values(holder))) {
            wrong.add(e.getKey() + " on " + holder + ": " + r.values(holder));
          }
        }
      }
      assertThat(wrong).as("replicas that do not hold the written value").isEmpty();
      for (Map.Entry<String, String> e : written.entrySet()) {
        HttpResponse<String> get = Http.get(LocalCluster.keyUrl(c, 3, e.getKey()));
        if (get.statusCode() != 200 || !get.body().equals(e.getValue())) {
          wrong.add(e.getKey() + " via n4: " + get.statusCode() + " " + get.body());
        }
      }
      assertThat(wrong).as("keys that do not read their written value via n4").isEmpty();
      try (Stream<String> lines = Files.lines(c.log(3))) {
        lines.filter(l -> l.contains("ring change to version")
            || l.contains("holds every partition it gains")).forEach(System.out::println);
      }
      System.out.printf("%d keys written and on 3 nodes in %d ms; n4 killed %d ms after its"
          + " start, in the ring %d ms after its kill; holds %.0f keys; total %d ms%n", keys,
          writtenMs, (killedAt - joinAt) / 1_000_000, resumedMs, c.metric(3, STORED),
          (System.nanoTime() - t0) / 1_000_000);
    });
  }

  /** Writes key{i} = value-{i} for every i, four at a time, each acknowledged by W=2. */
  private static Map<String, String> putInParallel(LocalCluster c, int keys) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> puts = new ArrayList<>();
      for (int i = 0; i < keys; i++) {
        int n = i;
        puts.add(pool.submit(() -> {
          String key = "key" + n;
          HttpResponse<String> put = Http.put(LocalCluster.keyUrl(c, n % 3, key) + "?w=2", "value-" + n, null);
          return put.statusCode() == 204 ? null : key + ": " + put.statusCode() + " " + put.body();
        }));
      }
      List<String> failed = new ArrayList<>();
      for (Future<String> put : puts) {
        String failure = put.get(60, TimeUnit.SECONDS);
        if (failure != null) {
          failed.add(failure);
        }
      }
      assertThat(failed).as("puts not acknowledged").isEmpty();
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(30, TimeUnit.SECONDS);
    }
    Map<String, String> written = new LinkedHashMap<>();
    for (int i = 0; i < keys; i++) {
      written.put("key" + i, "value-" + i);
    }
    return written;
  }

  /**
   * Waits until each of the given nodes has no ring change pending, all are on the same ring
   * version, and their ring is made of exactly {@code ids}.
   */
  private static void awaitRing(LocalCluster c, List<Integer> nodes, Set<String> ids,
      Duration within) {
    Awaitility.await("the ring of " + nodes.size() + " nodes is " + ids + ", nothing pending")
        .atMost(within).pollInterval(Duration.ofMillis(250))
        .ignoreExceptionsInstanceOf(IOException.class).until(() -> {
          Set<Double> versions = new TreeSet<>();
          for (int n : nodes) {
            if (c.metric(n, PENDING) != 0 || !ringNodes(c, n).equals(ids)) {
              return false;
            }
            versions.add(c.metric(n, VERSION));
          }
          return versions.size() == 1;
        });
  }

  /** The nodes of node i's current ring, from {@code GET /cluster/ring}. */
  private static Set<String> ringNodes(LocalCluster c, int i) throws Exception {
    HttpResponse<String> ring = Http.get(c.http(i) + "/cluster/ring");
    assertThat(ring.statusCode()).as(ring.body()).isEqualTo(200);
    Set<String> out = new TreeSet<>();
    Replicas.json(ring.body()).path("nodes").fieldNames().forEachRemaining(out::add);
    return out;
  }

  /** {@code id} as node {@code asked}'s {@code /cluster/members} shows it. */
  private static JsonNode member(LocalCluster c, int asked, String id) throws Exception {
    for (JsonNode m : Replicas.json(Http.get(c.http(asked) + "/cluster/members").body())
        .path("members")) {
      if (m.path("id").asText().equals(id)) {
        return m;
      }
    }
    throw new AssertionError(id + " is not a member on n" + (asked + 1));
  }

  private static long storedOn(LocalCluster c, List<Integer> nodes) throws Exception {
    long sum = 0;
    for (int n : nodes) {
      sum += (long) c.metric(n, STORED);
    }
    return sum;
  }

  /**
   * Waits until the live nodes together store keys x N keys and each key's {@code /replicas}
   * shows it on the N live nodes of its preference list, every one with the same versions.
   */
  private static void awaitEveryKeyOnExactlyItsReplicas(LocalCluster c, List<Integer> live,
      Set<String> keys, Duration within) {
    Set<String> liveIds = new TreeSet<>();
    live.forEach(n -> liveIds.add("n" + (n + 1)));
    long expected = (long) keys.size() * N;
    Awaitility.await("the live nodes store " + expected + " keys").atMost(within)
        .pollInterval(Duration.ofMillis(500)).ignoreExceptionsInstanceOf(IOException.class)
        .until(() -> storedOn(c, live) == expected);
    Awaitility.await("every key on exactly its " + N + " replicas, with equal versions")
        .atMost(within).pollInterval(Duration.ofSeconds(1))
        .ignoreExceptionsInstanceOf(IOException.class).untilAsserted(() -> {
          List<String> off = new ArrayList<>();
          int i = 0;
          for (String key : keys) {
            Replicas r = Replicas.of(c.http(live.get(i++ % live.size())), "b", key);
            String problem = offReplicas(r, liveIds);
            if (problem != null) {
              off.add(key + ": " + problem);
            }
          }
          assertThat(off).as("keys not on exactly their replicas (%d)", off.size()).isEmpty();
          assertThat(storedOn(c, live)).as("keys stored on the live nodes").isEqualTo(expected);
        });
  }

  /** What is wrong with where one key is held; null when nothing. */
  private static String offReplicas(Replicas r, Set<String> liveIds) {
    List<String> pl = r.preferenceList();
    if (pl.size() != N || new TreeSet<>(pl).size() != N || !liveIds.containsAll(pl)) {
      return "preference list " + pl;
    }
    Set<String> first = null;
    for (String holder : pl) {
      JsonNode versions = r.versions(holder);
      if (versions == null || versions.isEmpty()) {
        return holder + " holds nothing: " + r;
      }
      Set<String> mine = new TreeSet<>();
      versions.forEach(v -> mine.add(v.toString()));
      if (first == null) {
        first = mine;
      } else if (!first.equals(mine)) {
        return "versions differ: " + r;
      }
    }
    return null;
  }

  /** A quorum read's values: one on 200, every sibling on 300. */
  private static List<String> read(LocalCluster c, int node, String key) throws Exception {
    HttpResponse<String> get = Http.get(LocalCluster.keyUrl(c, node, key));
    if (get.statusCode() == 200) {
      return List.of(get.body());
    }
    assertThat(get.statusCode()).as("GET %s via n%d: %s", key, node + 1, get.body())
        .isEqualTo(300);
    List<String> out = new ArrayList<>();
    for (JsonNode s : Replicas.json(get.body()).path("siblings")) {
      out.add(new String(Base64.getDecoder().decode(s.path("value").asText()),
          StandardCharsets.UTF_8));
    }
    return out;
  }

  /**
   * What the writer knows of one key: its latest acknowledged value, and the values of the puts
   * after it that were not acknowledged (each may or may not have been stored, and one stored
   * would rightly supersede the acknowledged value).
   */
  private static final class KeyLog {
    private String acked;
    private final List<String> unsure = new ArrayList<>();

    KeyLog(String acked) {
      this.acked = acked;
    }

    void acked(String value) {
      acked = value;
      unsure.clear();
    }

    void unsure(String value) {
      unsure.add(value);
    }

    /** The values of which a read must find at least one. */
    Set<String> latest() {
      Set<String> out = new TreeSet<>(unsure);
      out.add(acked);
      return out;
    }
  }

  /**
   * Updates random keys one after another through the nodes in {@link #via}, each put with the
   * context of a read just before, so that every acknowledged put supersedes what was read.
   * The ledger is the writer's alone until its thread has ended.
   */
  private static final class Writer implements Runnable {
    private final LocalCluster c;
    private final Map<String, KeyLog> ledger;
    private final List<String> keys;
    volatile List<Integer> via;
    private volatile boolean stopped;
    volatile Throwable crash;
    final AtomicLong acked = new AtomicLong();
    final AtomicLong unacked = new AtomicLong();
    final AtomicLong failedReads = new AtomicLong();
    final AtomicLong siblingReads = new AtomicLong();
    final AtomicLong missing = new AtomicLong();
    final List<String> problems = Collections.synchronizedList(new ArrayList<>());

    Writer(LocalCluster c, Map<String, KeyLog> ledger, List<Integer> via) {
      this.c = c;
      this.ledger = ledger;
      this.keys = new ArrayList<>(ledger.keySet());
      this.via = via;
    }

    void stop() {
      stopped = true;
    }

    @Override
    public void run() {
      long seq = 0;
      try {
        while (!stopped) {
          seq++;
          List<Integer> nodes = via;
          ThreadLocalRandom random = ThreadLocalRandom.current();
          String key = keys.get(random.nextInt(keys.size()));
          int node = nodes.get(random.nextInt(nodes.size()));
          update(key, node, key + "@" + seq);
        }
      } catch (Throwable t) {
        crash = t;
      }
    }

    private void update(String key, int node, String value) throws InterruptedException {
      String context;
      try {
        HttpResponse<String> get = Http.get(LocalCluster.keyUrl(c, node, key));
        if (get.statusCode() == 300) {
          siblingReads.incrementAndGet();
        } else if (get.statusCode() == 404) {
          missing.incrementAndGet();
          note("GET " + key + " via n" + (node + 1) + ": 404");
        } else if (get.statusCode() != 200) {
          failedReads.incrementAndGet();
          note("GET " + key + " via n" + (node + 1) + ": " + get.statusCode() + " " + get.body());
          return;
        }
        context = Http.context(get);
      } catch (IOException e) {
        failedReads.incrementAndGet();
        note("GET " + key + " via n" + (node + 1) + ": " + e);
        return;
      }
      KeyLog log = ledger.get(key);
      try {
        HttpResponse<String> put = Http.put(LocalCluster.keyUrl(c, node, key) + "?w=2", value, context);
        if (put.statusCode() == 204) {
          log.acked(value);
          acked.incrementAndGet();
          return;
        }
        note("PUT " + key + " via n" + (node + 1) + ": " + put.statusCode() + " " + put.body());
      } catch (IOException e) {
        note("PUT " + key + " via n" + (node + 1) + ": " + e);
      }
      log.unsure(value);
      unacked.incrementAndGet();
    }

    private void note(String problem) {
      if (problems.size() < 20) {
        problems.add(problem);
      }
    }

    @Override
    public String toString() {
      return acked + " updates acknowledged, " + unacked + " not, " + failedReads
          + " reads failed, " + siblingReads + " read siblings, " + missing
          + " found nothing; first problems: " + problems;
    }
  }
}
