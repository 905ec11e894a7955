package io.ringkv.server.config;

import io.ringkv.api.ConfigException;
import java.time.Duration;
import java.util.List;

/**
 * Everything one node of a networked cluster reads at start: its identity and addresses, the HTTP
 * limits, membership settings, and the cluster-wide policy.
 */
public record ServerConfig(NodeConfig node, HttpConfig http, int clientPort,
    MembershipConfig membership, ClusterConfig cluster) {

  /** The HTTP API: its port and the largest key and value it accepts. */
  public record HttpConfig(int port, int maxKeyBytes, int maxValueBytes) {
    public HttpConfig {
      if (port < 1 || port > 65535) {
        throw new ConfigException(ConfigKeys.HTTP_PORT, String.valueOf(port), "must be from 1 to 65535");
      }
      if (maxKeyBytes < 1) {
        throw new ConfigException(ConfigKeys.HTTP_MAX_KEY_BYTES, String.valueOf(maxKeyBytes), "must be at least 1");
      }
      if (maxValueBytes < 1) {
        throw new ConfigException(ConfigKeys.HTTP_MAX_VALUE_BYTES, String.valueOf(maxValueBytes), "must be at least 1");
      }
    }
  }

  /**
   * Gossip: where to find the cluster, how often to talk, when to call a peer down.
   *
   * @param acceptablePause how long a peer's heartbeats may pause beyond their usual interval
   *     before suspicion rises fast ({@code failure.acceptable.pause.ms})
   * @param advertised the node-to-node address other nodes are told to reach this one at
   *     ({@code node.advertised.host/port}); null for {@code node.host:node.port} itself
   */
  public record MembershipConfig(List<Endpoint> seeds, Duration gossipInterval, double phiThreshold,
      Duration acceptablePause, Endpoint advertised) {
    public MembershipConfig {
      seeds = List.copyOf(seeds);
      if (gossipInterval.isNegative() || gossipInterval.isZero()) {
        throw new ConfigException(ConfigKeys.GOSSIP_INTERVAL_MS, String.valueOf(gossipInterval.toMillis()),
            "must be positive");
      }
      if (!(phiThreshold > 0)) {
        throw new ConfigException(ConfigKeys.FAILURE_PHI_THRESHOLD, String.valueOf(phiThreshold),
            "must be a positive number");
      }
      if (acceptablePause == null || acceptablePause.isNegative()) {
        throw new ConfigException(ConfigKeys.FAILURE_ACCEPTABLE_PAUSE_MS,
            String.valueOf(acceptablePause), "must be 0 or more milliseconds");
      }
    }

    /** With the default acceptable pause, 400 ms, advertising the node's own address. */
    public MembershipConfig(List<Endpoint> seeds, Duration gossipInterval, double phiThreshold) {
      this(seeds, gossipInterval, phiThreshold, Duration.ofMillis(400), null);
    }
  }

  public ServerConfig {
    if (node == null || http == null || membership == null || cluster == null) {
      throw new ConfigException("server", null, "node, http, membership and cluster configuration are required");
    }
    if (clientPort < 1 || clientPort > 65535) {
      throw new ConfigException(ConfigKeys.CLIENT_PORT, String.valueOf(clientPort), "must be from 1 to 65535");
    }
    if (http.port() == node.port() || clientPort == node.port() || clientPort == http.port()) {
      throw new ConfigException(ConfigKeys.NODE_PORT, String.valueOf(node.port()),
          "node.port, http.port and client.port must be three different ports");
    }
  }

  /** This configuration with relative {@code storage.dir} and {@code plugins.dir} resolved against {@code base}. */
  public ServerConfig withFolders(java.nio.file.Path base) {
    StorageConfig s = cluster.storage();
    ClusterConfig c = new ClusterConfig(cluster.ring(), cluster.replication(), cluster.resolvers(),
        new StorageConfig(s.engine(), base.resolve(s.dir()), s.options()),
        new PluginsConfig(base.resolve(cluster.plugins().dir())), cluster.handoff(),
        cluster.antiEntropy());
    return new ServerConfig(node, http, clientPort, membership, c);
  }
}
