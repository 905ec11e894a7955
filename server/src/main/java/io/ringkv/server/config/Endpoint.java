package io.ringkv.server.config;

import io.ringkv.api.ConfigException;

/** A {@code host:port} address, as written in {@code cluster.seeds} and {@code --node}. */
public record Endpoint(String host, int port) {
  public Endpoint {
    if (host == null || host.isBlank()) {
      throw new ConfigException("host", host, "must not be empty");
    }
    if (port < 1 || port > 65535) {
      throw new ConfigException("port", String.valueOf(port), "must be from 1 to 65535");
    }
  }

  /** Parses {@code host:port} (IPv6 as {@code [::1]:7000}); {@code key} names it in errors. */
  public static Endpoint parse(String key, String text) {
    String t = text.trim();
    int colon = t.lastIndexOf(':');
    if (colon <= 0 || colon == t.length() - 1) {
      throw new ConfigException(key, text, "must be host:port");
    }
    String host = t.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(t.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new ConfigException(key, text, "port must be a number from 1 to 65535");
    }
    if (port < 1 || port > 65535) {
      throw new ConfigException(key, text, "port must be from 1 to 65535");
    }
    return new Endpoint(host, port);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
