package io.ringkv.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.ConfigException;
import io.ringkv.replication.HandoffSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** handoff.*: the rate syntax, sizes and durations, the defaults and their checks. */
class HandoffConfigTest {
  @Test
  void ratesNameHintsAndBytesPerSecondInAnyOrder() {
    assertThat(HandoffConfig.parseRate("2000/s, 16m/s")).containsExactly(2000, 16L << 20);
    assertThat(HandoffConfig.parseRate("4k/s")).containsExactly(0, 4096);
    assertThat(HandoffConfig.parseRate(" 500/s ")).containsExactly(500, 0);
    assertThat(HandoffConfig.parseRate("1g/s,10/s")).containsExactly(10, 1L << 30);
    assertThat(HandoffConfig.parseRate("")).containsExactly(0, 0);
    assertThatThrownBy(() -> HandoffConfig.parseRate("100")).hasMessageContaining("not a rate");
    assertThatThrownBy(() -> HandoffConfig.parseRate("1/s, 2/s")).hasMessageContaining("twice");
    assertThatThrownBy(() -> HandoffConfig.parseRate("xm/s")).hasMessageContaining("not a size");
  }

  @Test
  void sizesAndDurations() {
    assertThat(Sizes.parse("64k")).isEqualTo(65536);
    assertThat(Sizes.parse("256m")).isEqualTo(256L << 20);
    assertThat(Sizes.parse("1G")).isEqualTo(1L << 30);
    assertThat(Sizes.parse("12b")).isEqualTo(12);
    assertThat(Sizes.parse("100")).isEqualTo(100);
    assertThatThrownBy(() -> Sizes.parse("-1")).hasMessageContaining("not a size");
    assertThat(Sizes.duration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Sizes.duration("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Sizes.duration("15m")).isEqualTo(Duration.ofMinutes(15));
    assertThat(Sizes.duration("3h")).isEqualTo(Duration.ofHours(3));
    assertThat(Sizes.duration("2d")).isEqualTo(Duration.ofDays(2));
    assertThatThrownBy(() -> Sizes.duration("3")).hasMessageContaining("not a duration");
    assertThatThrownBy(() -> Sizes.duration("h")).hasMessageContaining("not a duration");
  }

  @Test
  void theDefaultsMapToTheReplicationSettings() {
    HandoffSettings s = HandoffConfig.DEFAULTS.settings();
    assertThat(s.interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.maxHintsPerSecond()).isEqualTo(2000);
    assertThat(s.maxBytesPerSecond()).isEqualTo(16L << 20);
    assertThat(s.maxHintAge()).isEqualTo(Duration.ofHours(3));
    assertThat(s.maxHintBytes()).isEqualTo(256L << 20);
  }

  @Test
  void outOfRangeValuesNameTheirKey() {
    assertThatThrownBy(() -> new HandoffConfig(Duration.ZERO, 1, 1, Duration.ofHours(1), 1 << 20))
        .isInstanceOf(ConfigException.class).hasMessageContaining("handoff.interval.ms");
    assertThatThrownBy(() -> new HandoffConfig(Duration.ofSeconds(1), 1, 1, Duration.ofMillis(10),
        1 << 20)).hasMessageContaining("handoff.max.hint.age");
    assertThatThrownBy(() -> new HandoffConfig(Duration.ofSeconds(1), 1, 1, Duration.ofHours(1),
        10)).hasMessageContaining("handoff.max.hint.bytes");
  }
}
