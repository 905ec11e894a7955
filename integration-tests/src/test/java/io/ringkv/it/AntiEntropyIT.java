package io.ringkv.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Reader;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Merkle-tree anti-entropy on three real nodes from the distribution (N=3 R=2 W=2, the durable
 * log engine): a node killed with SIGKILL whose data folder is deleted is refilled by the rounds
 * alone, without a single client read, and tombstones found on every replica in two rounds in a
 * row are reaped from all three and never come back. What a node holds is always looked at
 * through {@code /replicas} asked of another node, or through the node's own
 * {@code ringkv_storage_keys}: neither reads through a quorum, so neither can read-repair.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class AntiEntropyIT {
  /** How soon a wiped node must hold every replica it owns again (scenario (a) of the issue). */
  private static final Duration BOUND = Duration.ofMinutes(2);
  /** The test's own round interval, short so that the test is quick; the shipped one is 30s. */
  private static final Duration INTERVAL = Duration.ofSeconds(5);
  private static final int KEYS = 120;
  private static final String[] IDS = {"n1", "n2", "n3"};
  private static final String STORED = "ringkv_storage_keys{engine=\"log\"}";
  private static final String REPAIRED = "ringkv_antientropy_keys_repaired_total";
  private static final String REAPED = "ringkv_antientropy_tombstones_reaped_total";

  /**
   * A wiped node takes at most: its start, then one interval until the first round that runs
   * with it up (a peer's, or its own first one, a full interval after its start), then the
   * repair itself, paced by antientropy.max.rate (120 keys at the default 2000/s: 60 ms). Only
   * the middle term depends on the interval, so a refill that took {@code refill} with the
   * test's 5s takes at most {@code refill + 30s} with the shipped default, which this test
   * reads from the distribution's conf/ringkv.properties and holds to the 2-minute bound.
   */
  @Test
  void aWipedNodeHoldsEveryReplicaItOwnsAgainWithinOneIntervalWithoutAnyRead() throws Exception {
    LocalCluster cluster = new LocalCluster("ae-wiped", 3,
        LocalCluster.quorumConfig("antientropy.interval", INTERVAL.toSeconds() + "s"));
    LocalCluster.run(cluster, c -> {
      Map<String, String> written = new LinkedHashMap<>();
      for (int i = 0; i < KEYS; i++) {
        String key = "k" + i;
        HttpResponse<String> put = Http.put(LocalCluster.keyUrl(c, i % 3, key) + "?w=2", "value-" + i, null);
        assertThat(put.statusCode()).as("put %s: %s", key, put.body()).isEqualTo(204);
        written.put(key, "value-" + i);
      }
      awaitEveryNodeHolds(c, written, Duration.ofSeconds(30));
      Map<String, JsonNode> before = new HashMap<>();
      for (String key : written.keySet()) {
        before.put(key, Replicas.of(c.http(0), "b", key).versions("n1"));
      }

      c.kill(2);
      LocalCluster.deleteTree(c.dataDir(2));
      assertThat(c.dataDir(2)).doesNotExist();
      long restartedAt = System.currentTimeMillis();
      long launched = System.nanoTime();
      c.start(2); // the same ringkv.properties as before
      c.awaitReady(Duration.ofSeconds(60));

      // From here on no client reads a key: only /metrics, /cluster/members and /replicas.
      Awaitility.await("n3 stores all " + KEYS + " keys again").atMost(BOUND)
          .pollInterval(Duration.ofMillis(250)).ignoreExceptionsInstanceOf(IOException.class)
          .until(() -> c.metric(2, STORED) == KEYS);
      Duration refill = Duration.ofNanos(System.nanoTime() - launched);
      Awaitility.await("n3 holds the very versions n1 and n2 hold, for every key")
          .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
          .until(() -> {
            for (String key : written.keySet()) {
              Replicas r = Replicas.of(c.http(0), "b", key);
              assertThat(r.preferenceList()).as("%s is owned by n3", key).contains("n3");
              assertThat(r.versions("n1")).as("n1's %s", key).isEqualTo(before.get(key));
              assertThat(r.values("n1")).as("n1's %s", key).containsExactly(written.get(key));
              assertThat(r.versions("n2")).as("n2's %s", key).isEqualTo(before.get(key));
              if (!before.get(key).equals(r.versions("n3"))) {
                return false;
              }
            }
            return true;
          });
      assertThat(refill).as("from n3's launch until it held all %d keys", KEYS)
          .isLessThan(BOUND);
      Duration shipped = shippedInterval(c);
      assertThat(refill.plus(shipped))
          .as("the bound on a refill with the shipped antientropy.interval = %s", shipped)
          .isLessThan(BOUND);
      System.out.printf("n3 held all %d keys %d ms after its launch (interval %s); with the "
          + "shipped %s: at most %d ms. Keys repaired by n1, n2, n3: %.0f, %.0f, %.0f%n", KEYS,
          refill.toMillis(), INTERVAL, shipped, refill.plus(shipped).toMillis(),
          c.metric(0, REPAIRED), c.metric(1, REPAIRED), c.metric(2, REPAIRED));

      // Every repair is counted by the node whose round found it (usually a peer's round finds
      // n3 empty first, but n3's own first round may win): together at least every key.
      double byPeers = c.metric(0, REPAIRED) + c.metric(1, REPAIRED);
      assertThat(byPeers + c.metric(2, REPAIRED)).as("%s on all three", REPAIRED)
          .isGreaterThanOrEqualTo(KEYS);
      assertThat(c.metric(2, "ringkv_antientropy_tree_entries")).as("n3's tree entries")
          .isEqualTo(KEYS);

      // The rounds go on: each partition's leader (its first replica up) exchanges it with the
      // others, so every partition is exchanged with n3 again, by n1, n2 or n3 itself.
      int partitions = Replicas.json(Http.get(c.http(0) + "/cluster/ring").body())
          .path("partitions").asInt();
      Awaitility.await("every partition exchanged with n3 since its restart")
          .atMost(INTERVAL.multipliedBy(2).plusSeconds(20)).pollInterval(Duration.ofMillis(500))
          .until(() -> exchangedWithN3Since(c, restartedAt).size() == partitions);
      int peer = c.metric(0, REPAIRED) > 0 ? 0 : 1;
      Cli members = Cli.run(c.home, "members", "--json", "--node",
          c.host(peer) + ":" + c.httpPorts[peer]);
      assertThat(members.exit).as(members.output).isZero();
      JsonNode ae = member(members.output).path("antiEntropy");
      assertThat(ae.path("partitions").asInt()).as(members.output).isBetween(1, partitions);
      assertThat(ae.path("failed").asInt()).as(members.output).isZero();
      // Only n3 lacked anything: what this peer repaired, it repaired with n3.
      assertThat(ae.path("keysRepaired").asLong()).as(members.output)
          .isEqualTo((long) c.metric(peer, REPAIRED));
      assertThat(ae.path("lastExchangeMs").asLong()).as(members.output)
          .isGreaterThanOrEqualTo(restartedAt);
      assertThat(c.metric(2, STORED)).as("n3 keeps them").isEqualTo(KEYS);
    });
  }

  /**
   * No node runs rounds of its own here (antientropy.enabled = false; each still answers its
   * peers and {@code POST /cluster/repair}), so the test decides when rounds happen: the first
   * finds the tombstones on every replica, the second finds them unchanged and reaps them.
   */
  @Test
  void tombstonesOnEveryReplicaAreReapedOnceSeenLongEnoughAndStayDeleted() throws Exception {
    LocalCluster cluster = new LocalCluster("ae-reap", 3, LocalCluster.quorumConfig("antientropy.enabled", "false"));
    LocalCluster.run(cluster, c -> {
      assertThat(Http.put(LocalCluster.keyUrl(c, 0, "doomed") + "?w=2", "deleted value", null).statusCode())
          .isEqualTo(204);
      assertThat(Http.put(LocalCluster.keyUrl(c, 1, "kept") + "?w=2", "kept value", null).statusCode())
          .isEqualTo(204);
      awaitEveryNodeHolds(c, Map.of("doomed", "deleted value", "kept", "kept value"),
          Duration.ofSeconds(30));

      HttpResponse<String> read = Http.get(LocalCluster.keyUrl(c, 1, "doomed"));
      assertThat(read.statusCode()).isEqualTo(200);
      HttpResponse<String> delete = Http.send("DELETE", LocalCluster.keyUrl(c, 1, "doomed") + "?w=2", null,
          Http.context(read));
      assertThat(delete.statusCode()).as(delete.body()).isEqualTo(204);
      Awaitility.await("all three hold only tombstones for the key")
          .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
          .until(() -> onlyTombstonesEverywhere(Replicas.of(c.http(2), "b", "doomed")));

      long firstSeen = System.nanoTime();
      String first = repair(c, 0);
      assertThat(onlyTombstonesEverywhere(Replicas.of(c.http(2), "b", "doomed")))
          .as("after one round (%s) the tombstones are still there", first).isTrue();
      assertThat(c.metric(0, REAPED)).isZero();

      String second = repair(c, 0);
      assertThat(c.metric(0, REAPED))
          .as("a round right after the first never reaps (writes may be in flight): %s", second)
          .isZero();
      // Twice the request timeout (2 x 1.5 s here) after the first sighting, a round reaps them.
      Awaitility.await("a later round reaps the tombstones").atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofSeconds(1)).until(() -> {
            repair(c, 0);
            return c.metric(0, REAPED) == 1;
          });
      assertThat(Duration.ofNanos(System.nanoTime() - firstSeen))
          .as("not before the in-flight bound").isGreaterThanOrEqualTo(Duration.ofSeconds(3));
      Awaitility.await("the key is gone from all three replicas").atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> goneEverywhere(Replicas.of(c.http(2), "b", "doomed")));

      for (int node = 0; node < 3; node++) {
        HttpResponse<String> get = Http.get(LocalCluster.keyUrl(c, node, "doomed"));
        assertThat(get.statusCode()).as("GET via n%d: %s", node + 1, get.body()).isEqualTo(404);
        assertThat(get.body()).doesNotContain("deleted value");
      }
      repair(c, 1); // one more round, from another node: nothing comes back either
      assertThat(goneEverywhere(Replicas.of(c.http(0), "b", "doomed"))).isTrue();
      assertThat(Http.get(LocalCluster.keyUrl(c, 2, "doomed")).statusCode()).isEqualTo(404);
      Replicas kept = Replicas.of(c.http(0), "b", "kept");
      for (String id : IDS) {
        assertThat(kept.values(id)).as("%s's live key", id).containsExactly("kept value");
      }
    });
  }

  /** Waits until every node holds exactly the written value of every key, nothing else. */
  private static void awaitEveryNodeHolds(LocalCluster c, Map<String, String> keys,
      Duration within) {
    Awaitility.await("every node holds all " + keys.size() + " keys").atMost(within)
        .pollInterval(Duration.ofMillis(500)).until(() -> {
          for (Map.Entry<String, String> e : keys.entrySet()) {
            Replicas r = Replicas.of(c.http(0), "b", e.getKey());
            for (String id : IDS) {
              JsonNode versions = r.versions(id);
              if (versions == null || versions.size() != 1
                  || !List.of(e.getValue()).equals(r.values(id))) {
                return false;
              }
            }
          }
          return true;
        });
  }

  private static boolean onlyTombstonesEverywhere(Replicas r) {
    for (String id : IDS) {
      JsonNode versions = r.versions(id);
      if (versions == null || versions.isEmpty()) {
        return false;
      }
      for (JsonNode v : versions) {
        if (!v.path("tombstone").asBoolean()) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean goneEverywhere(Replicas r) {
    for (String id : IDS) {
      JsonNode versions = r.versions(id);
      if (versions == null || !versions.isEmpty()) {
        return false;
      }
    }
    return r.hints() == 0;
  }

  /** {@code POST /cluster/repair?wait=true} on one node; returns what the round did. */
  private static String repair(LocalCluster c, int node) throws Exception {
    HttpResponse<String> r = Http.send("POST", c.http(node) + "/cluster/repair?wait=true", null,
        null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Replicas.json(r.body()).path("status").asText();
  }

  /** n3 as a {@code /cluster/members} answer shows it. */
  private static JsonNode member(String members) throws IOException {
    for (JsonNode m : Replicas.json(members).path("members")) {
      if (m.path("id").asText().equals("n3")) {
        return m;
      }
    }
    throw new AssertionError("n3 is not a member: " + members);
  }

  /**
   * The partitions exchanged with n3, ok, since {@code since}: by n1 or n2 (their view of member
   * n3) or by n3 itself (its view of n1 and n2).
   */
  private static Set<Integer> exchangedWithN3Since(LocalCluster c, long since)
      throws IOException, InterruptedException {
    Set<Integer> done = new TreeSet<>();
    for (int node = 0; node < 3; node++) {
      for (JsonNode m : Replicas.json(Http.get(c.http(node) + "/cluster/members").body())
          .path("members")) {
        boolean withN3 = node == 2 ? !m.path("id").asText().equals("n3")
            : m.path("id").asText().equals("n3");
        if (!withN3) {
          continue;
        }
        for (JsonNode e : m.path("antiEntropy").path("exchanges")) {
          if (e.path("ok").asBoolean() && e.path("lastMs").asLong() >= since) {
            done.add(e.path("partition").asInt());
          }
        }
      }
    }
    return done;
  }

  /** {@code antientropy.interval} as the distribution's conf/ringkv.properties ships it. */
  private static Duration shippedInterval(LocalCluster c) throws IOException {
    Properties shipped = new Properties();
    try (Reader in = Files.newBufferedReader(c.home.resolve("conf").resolve("ringkv.properties"))) {
      shipped.load(in);
    }
    String text = shipped.getProperty("antientropy.interval", "").trim();
    Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(text);
    assertThat(m.matches()).as("shipped antientropy.interval '%s'", text).isTrue();
    long n = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "ms":
        return Duration.ofMillis(n);
      case "s":
        return Duration.ofSeconds(n);
      case "m":
        return Duration.ofMinutes(n);
      case "h":
        return Duration.ofHours(n);
      default:
        return Duration.ofDays(n);
    }
  }
}
