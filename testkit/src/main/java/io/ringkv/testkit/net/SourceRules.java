package io.ringkv.testkit.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which rule holds for each source host of a {@link FaultProxy}: a rule per source over one
 * rule for every other source, where the last rule set wins.
 *
 * <p>Not thread-safe: the proxy guards it with its lock, together with its connections.
 */
final class SourceRules {
  /** What becomes of a source's connections. */
  enum Rule { FORWARD, BLOCK, BLACKHOLE }

  private final Map<InetAddress, Rule> bySource = new HashMap<>();
  private Rule fallback = Rule.FORWARD;

  /** Sets {@code source}'s rule, overriding the one for every source. */
  void set(InetAddress source, Rule rule) {
    Objects.requireNonNull(source, "source");
    if (rule == fallback) {
      bySource.remove(source);
    } else {
      bySource.put(source, rule);
    }
  }

  /** Sets the rule for every source, those not seen yet included, replacing every per-source one. */
  void setAll(Rule rule) {
    bySource.clear();
    fallback = rule;
  }

  Rule of(InetAddress source) {
    return bySource.getOrDefault(source, fallback);
  }

  /** Parses a source host such as "127.0.0.2"; a name is looked up, but nodes are told apart by IP. */
  static InetAddress host(String sourceHost) {
    Objects.requireNonNull(sourceHost, "sourceHost");
    if (sourceHost.isBlank()) {
      throw new IllegalArgumentException("source host is blank; give an IP address such as 127.0.0.2");
    }
    try {
      return InetAddress.getByName(sourceHost);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("unknown source host '" + sourceHost
          + "'; give an IP address such as 127.0.0.2", e);
    }
  }
}
