package io.ringkv.membership;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.RingkvException;
import java.util.Objects;

/**
 * A node-to-node address, as written in {@code cluster.seeds}: {@code host:port}, or
 * {@code [v6-address]:port}.
 */
public record HostPort(String host, int port) {
  public HostPort {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw invalid("host '" + host + "' is invalid: a host must not be blank");
    }
    checkPort("port", port);
  }

  /**
   * Parses {@code host:port} or {@code [v6-address]:port}.
   *
   * @throws RingkvException if the text is not of that form or the port is not in [1, 65535]
   */
  public static HostPort parse(String text) {
    Objects.requireNonNull(text, "text");
    String s = text.strip();
    int colon = s.lastIndexOf(':');
    boolean bracketed = s.startsWith("[");
    if (colon <= 0 || colon == s.length() - 1 || (bracketed && s.charAt(colon - 1) != ']')
        || (!bracketed && s.indexOf(':') != colon)) {
      throw invalid("address '" + text + "' is invalid: expected host:port or [ipv6]:port");
    }
    String host = bracketed ? s.substring(1, colon - 1) : s.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw invalid("address '" + text + "' is invalid: the port '" + s.substring(colon + 1)
          + "' is not a number");
    }
    return new HostPort(host, port);
  }

  static void checkPort(String what, int port) {
    if (port < 1 || port > 65535) {
      throw invalid(what + " " + port + " is out of range: a port is from 1 to 65535");
    }
  }

  private static RingkvException invalid(String message) {
    return new RingkvException(ErrorCode.INVALID_ARGUMENT, message);
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
