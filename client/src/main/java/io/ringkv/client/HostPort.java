package io.ringkv.client;

import java.net.InetSocketAddress;

/** {@code host:port}, {@code host} or {@code [v6]:port}, as a socket address. */
final class HostPort {
  private HostPort() {}

  static InetSocketAddress parse(String text, int defaultPort) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("a node address must not be empty: use host:port");
    }
    String s = text.trim();
    String host;
    String port = null;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("node address '" + text + "' opens [ without ]");
      }
      host = s.substring(1, close);
      String rest = s.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException("node address '" + text + "' is not [host]:port");
        }
        port = rest.substring(1);
      }
    } else {
      int colon = s.lastIndexOf(':');
      if (colon >= 0 && s.indexOf(':') != colon) {
        throw new IllegalArgumentException("node address '" + text
            + "': write an IPv6 address in brackets, as [::1]:8087");
      }
      host = colon < 0 ? s : s.substring(0, colon);
      port = colon < 0 ? null : s.substring(colon + 1);
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("node address '" + text + "' has no host");
    }
    int p = defaultPort;
    if (port != null) {
      try {
        p = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        p = -1;
      }
      if (p < 1 || p > 65535) {
        throw new IllegalArgumentException("node address '" + text + "': the port must be 1 to"
            + " 65535");
      }
    }
    // Unresolved: Netty resolves the host when it connects (and again on a reconnect).
    return InetSocketAddress.createUnresolved(host, p);
  }

  /** {@code host:port} as the user wrote it (no resolved address), {@code [v6]:port} for IPv6. */
  static String format(InetSocketAddress address) {
    String host = address.getHostString();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
  }
}
