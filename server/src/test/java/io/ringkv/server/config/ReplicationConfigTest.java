package io.ringkv.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.ConfigException;
import io.ringkv.api.QuorumSpec;
import io.ringkv.replication.ReplicationSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReplicationConfigTest {
  @Test
  void defaultsAreN3R2W2TwoSecondsAnd64ClockEntries() {
    assertThat(ReplicationConfig.DEFAULTS.defaults()).isEqualTo(new QuorumSpec(3, 2, 2));
    assertThat(ReplicationConfig.DEFAULTS.requestTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(ReplicationConfig.DEFAULTS.maxClockEntries()).isEqualTo(64);
  }

  @Test
  void mapsOntoTheCoordinatorSettings() {
    ReplicationSettings s = new ReplicationConfig(new QuorumSpec(5, 3, 3), Duration.ofMillis(750), 10)
        .settings();
    assertThat(s.requestTimeout()).isEqualTo(Duration.ofMillis(750));
    assertThat(s.pruning().maxEntries()).isEqualTo(10);
    assertThat(s.readRepair()).isEqualTo(ReplicationSettings.DEFAULTS.readRepair());
    assertThat(s.forwardMargin()).isEqualTo(ReplicationSettings.DEFAULTS.forwardMargin());
  }

  @Test
  void refusesANonPositiveTimeout() {
    assertThatThrownBy(() -> new ReplicationConfig(new QuorumSpec(3, 2, 2), Duration.ZERO, 64))
        .isInstanceOf(ConfigException.class)
        .hasMessage("replication.timeout=PT0S: must be a positive duration");
  }

  @Test
  void refusesAClockLimitOutsideWhatAContextCarries() {
    assertThatThrownBy(() -> new ReplicationConfig(new QuorumSpec(3, 2, 2), Duration.ofSeconds(1), 0))
        .hasMessage("replication.max-clock-entries=0: must be between 1 and 4096");
    assertThatThrownBy(() -> new ReplicationConfig(new QuorumSpec(3, 2, 2), Duration.ofSeconds(1), 4097))
        .hasMessage("replication.max-clock-entries=4097: must be between 1 and 4096");
  }

  @Test
  void needsADefaultQuorum() {
    assertThatThrownBy(() -> new ReplicationConfig(null, Duration.ofSeconds(1), 64))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("replication.n/r/w");
  }
}
