package io.ringkv.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.ConfigException;
import io.ringkv.api.NodeId;
import org.junit.jupiter.api.Test;

class NodeConfigTest {
  @Test
  void defaultsToLoopbackPort7000NamedAfterItsAddress() {
    NodeConfig c = NodeConfig.defaults();
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(7000);
    assertThat(c.id()).isEqualTo(NodeId.of("127.0.0.1:7000"));
  }

  @Test
  void anEmbeddedNodeHasItsNameAndNoSocket() {
    NodeConfig c = NodeConfig.embedded("n1");
    assertThat(c.id()).isEqualTo(NodeId.of("n1"));
    assertThat(c.port()).isZero();
  }

  @Test
  void refusesBadValuesNamingTheKey() {
    assertThatThrownBy(() -> NodeConfig.at("10.0.0.1", 70_000))
        .isInstanceOf(ConfigException.class)
        .hasMessage("node.port=70000: must be between 0 and 65535 (0: no socket)");
    assertThatThrownBy(() -> NodeConfig.at(" ", 7000)).hasMessage("node.host= : must not be blank");
    assertThatThrownBy(() -> NodeConfig.embedded("bad id"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("node.id=bad id: node id 'bad id' is invalid");
    assertThatThrownBy(() -> new NodeConfig(null, "h", 1)).hasMessage("node.id: a node needs an id");
  }
}
