package io.ringkv.transport.netty.peer;

import java.time.Duration;

/**
 * Node-to-node transport settings.
 *
 * @param connectionsPerPeer connections kept to each peer, used round-robin
 * @param maxInFlightPerPeer requests awaiting an answer from one peer; beyond it a send fails at
 *     once ({@code UNAVAILABLE}), so a slow peer cannot make this node buffer without bound
 * @param maxFrameBytes largest message accepted or sent; a longer incoming frame closes that
 *     connection (failing its requests), a longer outgoing one fails its request
 * @param requestTimeout how long a request waits for its answer before failing
 *     ({@code UNAVAILABLE}); a forwarded client request with its own timeout waits that long
 *     plus this
 * @param connectTimeout how long a connection attempt may take
 * @param reconnectBackoffMin wait after the first failed connection attempt to a peer; doubles
 *     with each further failure
 * @param reconnectBackoffMax cap of that wait (1 s by default: a node starting before its seed, or
 *     a peer restarting, is reached at most a second after it listens; the failure detector, not
 *     the backoff, keeps requests away from a peer that stays down)
 */
public record TransportSettings(int connectionsPerPeer, int maxInFlightPerPeer, int maxFrameBytes,
    Duration requestTimeout, Duration connectTimeout, Duration reconnectBackoffMin,
    Duration reconnectBackoffMax) {
  public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

  public static final TransportSettings DEFAULTS = new TransportSettings(2, 1024,
      DEFAULT_MAX_FRAME_BYTES, Duration.ofSeconds(5), Duration.ofSeconds(1),
      Duration.ofMillis(50), Duration.ofSeconds(1));

  public TransportSettings {
    if (connectionsPerPeer < 1 || connectionsPerPeer > 64) {
      throw new IllegalArgumentException("connectionsPerPeer must be in [1, 64], was "
          + connectionsPerPeer);
    }
    if (maxInFlightPerPeer < 1) {
      throw new IllegalArgumentException("maxInFlightPerPeer must be >= 1, was "
          + maxInFlightPerPeer);
    }
    if (maxFrameBytes < 1024 || maxFrameBytes > Integer.MAX_VALUE - FrameCodec.LENGTH_BYTES) {
      throw new IllegalArgumentException("maxFrameBytes must be in [1024, 2^31 - 5], was "
          + maxFrameBytes);
    }
    positive(requestTimeout, "requestTimeout");
    positive(connectTimeout, "connectTimeout");
    positive(reconnectBackoffMin, "reconnectBackoffMin");
    positive(reconnectBackoffMax, "reconnectBackoffMax");
    if (reconnectBackoffMax.compareTo(reconnectBackoffMin) < 0) {
      throw new IllegalArgumentException("reconnectBackoffMax (" + reconnectBackoffMax
          + ") must be >= reconnectBackoffMin (" + reconnectBackoffMin + ")");
    }
    if (connectTimeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("connectTimeout must be below 2^31 ms, was " + connectTimeout);
    }
  }

  private static void positive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
  }

  public TransportSettings withConnectionsPerPeer(int n) {
    return new TransportSettings(n, maxInFlightPerPeer, maxFrameBytes, requestTimeout,
        connectTimeout, reconnectBackoffMin, reconnectBackoffMax);
  }

  public TransportSettings withMaxInFlightPerPeer(int n) {
    return new TransportSettings(connectionsPerPeer, n, maxFrameBytes, requestTimeout,
        connectTimeout, reconnectBackoffMin, reconnectBackoffMax);
  }

  public TransportSettings withMaxFrameBytes(int n) {
    return new TransportSettings(connectionsPerPeer, maxInFlightPerPeer, n, requestTimeout,
        connectTimeout, reconnectBackoffMin, reconnectBackoffMax);
  }

  public TransportSettings withRequestTimeout(Duration d) {
    return new TransportSettings(connectionsPerPeer, maxInFlightPerPeer, maxFrameBytes, d,
        connectTimeout, reconnectBackoffMin, reconnectBackoffMax);
  }

  public TransportSettings withConnectTimeout(Duration d) {
    return new TransportSettings(connectionsPerPeer, maxInFlightPerPeer, maxFrameBytes,
        requestTimeout, d, reconnectBackoffMin, reconnectBackoffMax);
  }

  public TransportSettings withReconnectBackoff(Duration min, Duration max) {
    return new TransportSettings(connectionsPerPeer, maxInFlightPerPeer, maxFrameBytes,
        requestTimeout, connectTimeout, min, max);
  }
}
