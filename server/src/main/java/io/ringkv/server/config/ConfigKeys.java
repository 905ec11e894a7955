package io.ringkv.server.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Every configuration key a node reads, with its default: the single list the loader checks
 * files against (unknown keys are errors with a "did you mean") and the shipped
 * {@code conf/ringkv.properties} must document (a test keeps the two in step).
 */
public final class ConfigKeys {
  private ConfigKeys() {}

  public static final String NODE_ID = "node.id";
  public static final String NODE_HOST = "node.host";
  public static final String NODE_PORT = "node.port";
  public static final String NODE_ADVERTISED_HOST = "node.advertised.host";
  public static final String NODE_ADVERTISED_PORT = "node.advertised.port";
  public static final String HTTP_PORT = "http.port";
  public static final String HTTP_MAX_KEY_BYTES = "http.max.key.bytes";
  public static final String HTTP_MAX_VALUE_BYTES = "http.max.value.bytes";
  public static final String CLIENT_PORT = "client.port";
  public static final String CLUSTER_SEEDS = "cluster.seeds";
  public static final String GOSSIP_INTERVAL_MS = "gossip.interval.ms";
  public static final String FAILURE_PHI_THRESHOLD = "failure.phi.threshold";
  public static final String FAILURE_ACCEPTABLE_PAUSE_MS = "failure.acceptable.pause.ms";
  public static final String RING_PARTITIONS = "ring.partitions";
  public static final String REPLICATION_N = "replication.n";
  public static final String REPLICATION_R = "replication.r";
  public static final String REPLICATION_W = "replication.w";
  public static final String REPLICATION_TIMEOUT_MS = "replication.timeout.ms";
  public static final String REPLICATION_MAX_CLOCK_ENTRIES = "replication.max.clock.entries";
  public static final String REPLICATION_REPLICA_TIMEOUT_MS = "replication.replica.timeout.ms";
  public static final String HANDOFF_INTERVAL_MS = "handoff.interval.ms";
  public static final String HANDOFF_MAX_RATE = "handoff.max.rate";
  public static final String HANDOFF_MAX_HINT_AGE = "handoff.max.hint.age";
  public static final String HANDOFF_MAX_HINT_BYTES = "handoff.max.hint.bytes";
  public static final String ANTIENTROPY_ENABLED = "antientropy.enabled";
  public static final String ANTIENTROPY_INTERVAL = "antientropy.interval";
  public static final String ANTIENTROPY_MAX_RATE = "antientropy.max.rate";
  public static final String RESOLVER_DEFAULT = "resolver.default";
  public static final String STORAGE_ENGINE = "storage.engine";
  public static final String STORAGE_DIR = "storage.dir";
  public static final String STORAGE_SYNC = "storage.sync";
  public static final String PLUGINS_DIR = "plugins.dir";

  /**
   * Per-bucket keys: {@code bucket.<name>.n|r|w|resolver|sloppy}, and
   * {@code .resolver.<setting>}.
   */
  public static final Pattern BUCKET_KEY =
      Pattern.compile("bucket\\.([A-Za-z0-9._\\-]+?)\\.(n|r|w|resolver|sloppy)(\\.(.+))?");

  /** Fixed keys and their defaults ("" = none; node.id defaults to host:port). */
  public static final Map<String, String> DEFAULTS;

  static {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(NODE_ID, "");
    m.put(NODE_HOST, "127.0.0.1");
    m.put(NODE_PORT, "7000");
    m.put(NODE_ADVERTISED_HOST, "");
    m.put(NODE_ADVERTISED_PORT, "");
    m.put(HTTP_PORT, "8098");
    m.put(HTTP_MAX_KEY_BYTES, "1024");
    m.put(HTTP_MAX_VALUE_BYTES, "1048576");
    m.put(CLIENT_PORT, "8087");
    m.put(CLUSTER_SEEDS, "");
    m.put(GOSSIP_INTERVAL_MS, "200");
    m.put(FAILURE_PHI_THRESHOLD, "8");
    m.put(FAILURE_ACCEPTABLE_PAUSE_MS, "400");
    m.put(RING_PARTITIONS, "64");
    m.put(REPLICATION_N, "3");
    m.put(REPLICATION_R, "2");
    m.put(REPLICATION_W, "2");
    m.put(REPLICATION_TIMEOUT_MS, "2000");
    m.put(REPLICATION_MAX_CLOCK_ENTRIES, "64");
    m.put(REPLICATION_REPLICA_TIMEOUT_MS, ""); // half of replication.timeout.ms, at most 1000
    m.put(HANDOFF_INTERVAL_MS, "1000");
    m.put(HANDOFF_MAX_RATE, "2000/s, 16m/s");
    m.put(HANDOFF_MAX_HINT_AGE, "3h");
    m.put(HANDOFF_MAX_HINT_BYTES, "256m");
    m.put(ANTIENTROPY_ENABLED, "true");
    m.put(ANTIENTROPY_INTERVAL, "30s");
    m.put(ANTIENTROPY_MAX_RATE, "2000/s, 8m/s");
    m.put(RESOLVER_DEFAULT, "siblings");
    m.put(STORAGE_ENGINE, "log");
    m.put(STORAGE_DIR, "data");
    m.put(STORAGE_SYNC, "batch");
    m.put(PLUGINS_DIR, "plugins");
    DEFAULTS = java.util.Collections.unmodifiableMap(m);
  }

  public static boolean isKnown(String key) {
    return DEFAULTS.containsKey(key) || BUCKET_KEY.matcher(key).matches()
        || key.startsWith("storage.option.");
  }

  /** Maps an environment variable name to a key: {@code RINGKV_NODE_ID -> node.id}. */
  public static String fromEnvironment(String variable) {
    if (!variable.startsWith("RINGKV_") || variable.equals("RINGKV_HOME")
        || variable.equals("RINGKV_JAVA_OPTS")) {
      return null;
    }
    return variable.substring("RINGKV_".length()).toLowerCase(java.util.Locale.ROOT).replace('_', '.');
  }

  /** The known key closest to {@code key}, for "did you mean" (null when nothing is close). */
  public static String suggest(String key) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String known : DEFAULTS.keySet()) {
      int d = distance(key, known);
      if (d < bestDistance) {
        bestDistance = d;
        best = known;
      }
    }
    return bestDistance <= Math.max(2, key.length() / 4) ? best : null;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
