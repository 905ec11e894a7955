package io.ringkv.transport.netty.http;

import java.time.Duration;

/**
 * Settings of the HTTP API.
 *
 * @param host address to listen on
 * @param port port to listen on (DESIGN.md default 8098; 0 for any free port)
 * @param maxKeyBytes largest key accepted, in UTF-8 bytes after URL decoding (413 past it)
 * @param maxValueBytes largest value (request body) accepted (413 past it)
 * @param replicasTimeout how long {@code /replicas} waits for the slowest replica before
 *     reporting it {@code down}
 */
public record HttpSettings(String host, int port, int maxKeyBytes, int maxValueBytes,
    Duration replicasTimeout) {
  public static final int DEFAULT_PORT = 8098;
  public static final int DEFAULT_MAX_KEY_BYTES = 1024;
  public static final int DEFAULT_MAX_VALUE_BYTES = 1024 * 1024;

  public static final HttpSettings DEFAULTS = new HttpSettings("127.0.0.1", DEFAULT_PORT,
      DEFAULT_MAX_KEY_BYTES, DEFAULT_MAX_VALUE_BYTES, Duration.ofSeconds(2));

  public HttpSettings {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("http host must not be blank, was '" + host + "'");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("http port must be in [0, 65535], was " + port);
    }
    if (maxKeyBytes < 1 || maxKeyBytes > 64 * 1024) {
      throw new IllegalArgumentException("maxKeyBytes must be in [1, 65536], was " + maxKeyBytes);
    }
    if (maxValueBytes < 0 || maxValueBytes > 512 * 1024 * 1024) {
      throw new IllegalArgumentException("maxValueBytes must be in [0, 512 MiB], was "
          + maxValueBytes);
    }
    if (replicasTimeout == null || replicasTimeout.isNegative() || replicasTimeout.isZero()) {
      throw new IllegalArgumentException("replicasTimeout must be positive, was " + replicasTimeout);
    }
  }

  public HttpSettings withHost(String h) {
    return new HttpSettings(h, port, maxKeyBytes, maxValueBytes, replicasTimeout);
  }

  public HttpSettings withPort(int p) {
    return new HttpSettings(host, p, maxKeyBytes, maxValueBytes, replicasTimeout);
  }

  public HttpSettings withMaxKeyBytes(int n) {
    return new HttpSettings(host, port, n, maxValueBytes, replicasTimeout);
  }

  public HttpSettings withMaxValueBytes(int n) {
    return new HttpSettings(host, port, maxKeyBytes, n, replicasTimeout);
  }

  public HttpSettings withReplicasTimeout(Duration d) {
    return new HttpSettings(host, port, maxKeyBytes, maxValueBytes, d);
  }
}
