package io.ringkv.transport.netty.http;

import java.util.List;

/**
 * Where a request goes, parsed once from its path: the route's template (for dispatch and for the
 * metrics of every request, answered or not) and, for the key routes, the raw (still
 * percent-encoded) bucket and key. A key route whose key is missing has a null key.
 */
record Route(String template, String bucket, String key) {
  static final String KEY = "/buckets/{bucket}/keys/{key}";
  static final String REPLICAS = "/buckets/{bucket}/keys/{key}/replicas";
  static final String RING = "/cluster/ring";
  static final String MEMBERS = "/cluster/members";
  static final String HEALTH = "/health";
  static final String JOIN = "/cluster/join";
  static final String LEAVE = "/cluster/leave";
  static final String REPAIR = "/cluster/repair";
  static final String REMOVE = "/cluster/remove";
  static final String METRICS = "/metrics";
  static final String UNMATCHED = "unmatched";
  private static final List<String> FIXED = List.of(RING, MEMBERS, HEALTH, METRICS, JOIN, LEAVE,
      REPAIR, REMOVE);

  static Route parse(String rawPath) {
    String[] s = rawPath.startsWith("/") ? rawPath.substring(1).split("/", -1) : new String[0];
    if (s.length >= 3 && s[0].equals("buckets") && s[2].equals("keys")) {
      if (s.length == 3 || s.length == 4 && s[3].isEmpty()) {
        return new Route(KEY, s[1], null);
      }
      if (s.length == 4) {
        return new Route(KEY, s[1], s[3]);
      }
      if (s.length == 5 && s[4].equals("replicas")) {
        return new Route(REPLICAS, s[1], s[3]);
      }
      return new Route(UNMATCHED, null, null);
    }
    return new Route(FIXED.contains(rawPath) ? rawPath : UNMATCHED, null, null);
  }

  boolean matched() {
    return !template.equals(UNMATCHED);
  }
}
