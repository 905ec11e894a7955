package io.ringkv.server.config;

import io.ringkv.api.ConfigException;
import io.ringkv.api.NodeId;

/**
 * This node: its identity and its node-to-node address ({@code node.id}, {@code node.host},
 * {@code node.port}). The id is the node's name on the ring and in vector clocks; by default it
 * is {@code host:port}.
 *
 * @param id the node's stable identity
 * @param host the node-to-node address to bind
 * @param port the node-to-node port; 0 for a node that opens no socket (embedded clusters)
 */
public record NodeConfig(NodeId id, String host, int port) {
  /** The default address: {@code 127.0.0.1:7000}. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 7000;

  public NodeConfig {
    if (id == null) {
      throw new ConfigException("node.id", null, "a node needs an id");
    }
    if (host == null || host.isBlank()) {
      throw new ConfigException("node.host", host, "must not be blank");
    }
    if (port < 0 || port > 65_535) {
      throw new ConfigException("node.port", String.valueOf(port),
          "must be between 0 and 65535 (0: no socket)");
    }
  }

  /** The defaults: {@code 127.0.0.1:7000}, named after its address. */
  public static NodeConfig defaults() {
    return at(DEFAULT_HOST, DEFAULT_PORT);
  }

  /** A node at {@code host:port}, with that as its id. */
  public static NodeConfig at(String host, int port) {
    if (host == null || host.isBlank()) {
      throw new ConfigException("node.host", host, "must not be blank");
    }
    return new NodeConfig(NodeId.of(host + ":" + port), host, port);
  }

  /** A node of an embedded cluster: named {@code id}, no socket of its own. */
  public static NodeConfig embedded(String id) {
    NodeId nodeId;
    try {
      nodeId = NodeId.of(id);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("node.id", id, e.getMessage());
    }
    return new NodeConfig(nodeId, DEFAULT_HOST, 0);
  }
}
