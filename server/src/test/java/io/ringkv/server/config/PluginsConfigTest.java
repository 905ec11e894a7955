package io.ringkv.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.ConfigException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PluginsConfigTest {
  @Test
  void defaultsToPluginsInTheWorkingFolderWithoutAHome() {
    assertThat(PluginsConfig.forHome(null).dir()).isEqualTo(Path.of("plugins"));
    assertThat(PluginsConfig.forHome(" ").dir()).isEqualTo(Path.of("plugins"));
  }

  @Test
  void defaultsToPluginsInTheHomeWhenSet() {
    assertThat(PluginsConfig.forHome("/opt/ringkv").dir()).isEqualTo(Path.of("/opt/ringkv/plugins"));
  }

  @Test
  void theProcessDefaultFollowsRingkvHome() {
    assertThat(PluginsConfig.defaults())
        .isEqualTo(PluginsConfig.forHome(System.getenv(PluginsConfig.HOME_VARIABLE)));
  }

  @Test
  void needsAFolder() {
    assertThatThrownBy(() -> new PluginsConfig(null))
        .isInstanceOf(ConfigException.class)
        .hasMessage("plugins.dir: must name a folder");
  }
}
