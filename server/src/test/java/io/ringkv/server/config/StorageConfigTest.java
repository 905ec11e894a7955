package io.ringkv.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.ConfigException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageConfigTest {
  @Test
  void embeddedDefaultIsTheMemoryEngine() {
    assertThat(StorageConfig.EMBEDDED.engine()).isEqualTo("memory");
    assertThat(StorageConfig.EMBEDDED.dir()).isEqualTo(Path.of("data"));
    assertThat(StorageConfig.EMBEDDED.options()).isEmpty();
  }

  @Test
  void mapsEveryField() {
    StorageConfig c = new StorageConfig("log", Path.of("/var/ringkv"), Map.of("segment", "64m"));
    assertThat(c.engine()).isEqualTo("log");
    assertThat(c.dir()).isEqualTo(Path.of("/var/ringkv"));
    assertThat(c.options()).containsExactly(Map.entry("segment", "64m"));
  }

  @Test
  void refusesAMissingEngineOrFolder() {
    assertThatThrownBy(() -> new StorageConfig(" ", Path.of("d"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessage("storage.engine= : must name a storage engine");
    assertThatThrownBy(() -> new StorageConfig("memory", null, Map.of()))
        .hasMessage("storage.dir: must name a folder");
  }
}
