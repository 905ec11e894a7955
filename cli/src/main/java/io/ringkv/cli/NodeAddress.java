package io.ringkv.cli;

import java.net.URI;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A node's HTTP address as the command line takes it: {@code host:port}, or {@code [v6]:port}.
 *
 * @param host a host name or IP literal (IPv6 without brackets)
 * @param port 1..65535
 */
public record NodeAddress(String host, int port) {
  /** The default node of the commands that use the HTTP API. */
  public static final String DEFAULT = "127.0.0.1:8098";
  /** The default node of the commands that use the binary client protocol (its client.port). */
  public static final String DEFAULT_CLIENT = "127.0.0.1:8087";

  public NodeAddress {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("a node address needs a host, got '" + host + "'");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be in 1..65535, got " + port);
    }
  }

  /**
   * Reads {@code host:port}.
   *
   * @throws IllegalArgumentException naming the text and the expected form
   */
  public static NodeAddress parse(String text) {
    String s = text == null ? "" : text.trim();
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw new IllegalArgumentException("expected host:port, got '" + text + "'");
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException("expected host:port (IPv6 in brackets: [::1]:8098), got '"
          + text + "'");
    }
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected host:port with a numeric port, got '" + text
          + "'");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be in 1..65535, got " + port + " in '" + text
          + "'");
    }
    return new NodeAddress(host, port);
  }

  /** {@code http://host:port} followed by the path (which starts with a slash). */
  public URI uri(String pathAndQuery) {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return URI.create("http://" + h + ":" + port + pathAndQuery);
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** picocli: {@code --node host:port}. */
  public static final class Converter implements ITypeConverter<NodeAddress> {
    @Override
    public NodeAddress convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
