package io.ringkv.transport.netty.client;

/**
 * Settings of the binary client protocol.
 *
 * @param host address to listen on
 * @param port port to listen on (DESIGN.md default 8087; 0 for any free port)
 * @param maxKeyBytes largest key accepted, in UTF-8 bytes (the same limit as HTTP's)
 * @param maxValueBytes largest value accepted (the same limit as HTTP's)
 */
public record ClientSettings(String host, int port, int maxKeyBytes, int maxValueBytes) {
  public static final int DEFAULT_PORT = 8087;
  public static final int DEFAULT_MAX_KEY_BYTES = 1024;
  public static final int DEFAULT_MAX_VALUE_BYTES = 1024 * 1024;

  /** Room in a frame for what a put carries besides its key and value (bucket, context, ids). */
  static final int FRAME_OVERHEAD_BYTES = 64 * 1024;

  public static final ClientSettings DEFAULTS = new ClientSettings("127.0.0.1", DEFAULT_PORT,
      DEFAULT_MAX_KEY_BYTES, DEFAULT_MAX_VALUE_BYTES);

  public ClientSettings {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("client host must not be blank, was '" + host + "'");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("client port must be in [0, 65535], was " + port);
    }
    if (maxKeyBytes < 1 || maxKeyBytes > 64 * 1024) {
      throw new IllegalArgumentException("maxKeyBytes must be in [1, 65536], was " + maxKeyBytes);
    }
    if (maxValueBytes < 0 || maxValueBytes > 512 * 1024 * 1024) {
      throw new IllegalArgumentException("maxValueBytes must be in [0, 512 MiB], was "
          + maxValueBytes);
    }
  }

  /**
   * The largest frame taken: a put of the largest key and value with room to spare. A larger
   * frame is skipped and answered {@code TOO_LARGE}, never buffered.
   */
  public int maxFrameBytes() {
    return maxValueBytes + maxKeyBytes + FRAME_OVERHEAD_BYTES;
  }

  public ClientSettings withHost(String h) {
    return new ClientSettings(h, port, maxKeyBytes, maxValueBytes);
  }

  public ClientSettings withPort(int p) {
    return new ClientSettings(host, p, maxKeyBytes, maxValueBytes);
  }

  public ClientSettings withMaxKeyBytes(int n) {
    return new ClientSettings(host, port, n, maxValueBytes);
  }

  public ClientSettings withMaxValueBytes(int n) {
    return new ClientSettings(host, port, maxKeyBytes, n);
  }
}
