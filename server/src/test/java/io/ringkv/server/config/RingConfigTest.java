package io.ringkv.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.ConfigException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RingConfigTest {
  @Test
  void defaultsTo64Partitions() {
    assertThat(RingConfig.DEFAULTS.partitions()).isEqualTo(64);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 64, 1024, 65_536})
  void acceptsPowersOfTwo(int q) {
    assertThat(new RingConfig(q).partitions()).isEqualTo(q);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -64, 3, 48, 100, 131_072})
  void refusesOthersNamingTheKeyAndTheRule(int q) {
    assertThatThrownBy(() -> new RingConfig(q))
        .isInstanceOf(ConfigException.class)
        .hasMessage("ring.partitions=" + q + ": must be a power of two between 1 and 65536");
  }
}
