package io.ringkv.storage.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageSettingsTest {
  private static final Path DIR = Path.of("data");
  private static final KeyPartitioner PARTITIONER = key -> 0;

  @Test
  void keepsWhatItIsGiven() {
    StorageSettings s = new StorageSettings(DIR, PARTITIONER, Map.of("segment.size", "64m"));

    assertThat(s.directory()).isEqualTo(DIR);
    assertThat(s.partitioner()).isSameAs(PARTITIONER);
    assertThat(s.options()).containsExactly(Map.entry("segment.size", "64m"));
    assertThat(s.option("segment.size")).contains("64m");
    assertThat(s.option("absent")).isEmpty();
  }

  @Test
  void withoutOptionsHasAnEmptyMap() {
    assertThat(StorageSettings.of(DIR, PARTITIONER).options()).isEmpty();
  }

  @Test
  void refusesAMissingDirectory() {
    assertThatThrownBy(() -> new StorageSettings(null, PARTITIONER, Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("directory");
  }

  @Test
  void refusesAMissingPartitioner() {
    assertThatThrownBy(() -> new StorageSettings(DIR, null, Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partitioner");
  }

  @Test
  void refusesMissingOptions() {
    assertThatThrownBy(() -> new StorageSettings(DIR, PARTITIONER, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("options");
  }

  @Test
  void refusesABlankOptionName() {
    assertThatThrownBy(() -> new StorageSettings(DIR, PARTITIONER, Map.of(" ", "x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("' '").hasMessageContaining("blank");
  }

  @Test
  void refusesANullOptionNameOrValue() {
    Map<String, String> nullName = new HashMap<>();
    nullName.put(null, "x");
    Map<String, String> nullValue = new HashMap<>();
    nullValue.put("sync", null);

    assertThatThrownBy(() -> new StorageSettings(DIR, PARTITIONER, nullName))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'null'");
    assertThatThrownBy(() -> new StorageSettings(DIR, PARTITIONER, nullValue))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'sync'");
  }

  @Test
  void copiesTheOptionsAndKeepsThemUnmodifiable() {
    Map<String, String> source = new HashMap<>(Map.of("b", "2", "a", "1"));
    StorageSettings s = new StorageSettings(DIR, PARTITIONER, source);

    source.put("c", "3");

    assertThat(s.options()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
    assertThatThrownBy(() -> s.options().put("d", "4")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void equalSettingsAreEqual() {
    assertThat(new StorageSettings(DIR, PARTITIONER, Map.of("a", "1")))
        .isEqualTo(new StorageSettings(DIR, PARTITIONER, new HashMap<>(Map.of("a", "1"))));
  }
}
