package io.ringkv.storage.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Dot;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The in-memory engine's wiring; its behaviour is checked by testkit's StorageEngineContractTest. */
class StorageEnginesTest {
  private static final Siblings ONE = Siblings.of(new Versioned<>(Bytes.utf8("v"),
      new Dot(new Actor(NodeId.of("n1"), 1), 1), VectorClock.empty(), 1L, false));

  @Test
  void theFactoryIsNamedMemoryAndMakesFreshEngines() {
    StorageEngineFactory factory = StorageEngines.inMemoryFactory();
    StorageSettings settings = StorageSettings.of(Path.of("unused"), key -> 0);

    try (StorageEngine a = factory.create(settings); StorageEngine b = factory.create(settings)) {
      a.put(Key.of("b", "k"), ONE);

      assertThat(factory.name()).isEqualTo("memory");
      assertThat(a.name()).isEqualTo("memory");
      assertThat(b.keyCount()).isZero();
    }
  }

  @Test
  void theFactoryRefusesOptionsItDoesNotKnow() {
    StorageSettings settings = new StorageSettings(Path.of("unused"), key -> 0,
        Map.of("sync", "batch", "cache.size", "1"));

    assertThatThrownBy(() -> StorageEngines.inMemoryFactory().create(settings))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("memory")
        .hasMessageContaining("[cache.size]");
  }

  @Test
  void theFactoryAcceptsAndIgnoresTheNodeWideSyncOption() {
    StorageSettings settings = new StorageSettings(Path.of("unused"), key -> 0, Map.of("sync", "always"));
    try (StorageEngine engine = StorageEngines.inMemoryFactory().create(settings)) {
      org.assertj.core.api.Assertions.assertThat(engine.keyCount()).isZero();
    }
  }

  @Test
  void inMemoryNeedsAPartitioner() {
    assertThatThrownBy(() -> StorageEngines.inMemory(null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partitioner");
  }

  @Test
  void aNegativePartitionIsRefusedAndNothingIsStored() {
    try (StorageEngine engine = StorageEngines.inMemory(key -> -3)) {
      assertThatThrownBy(() -> engine.put(Key.of("b", "k"), ONE))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-3").hasMessageContaining("b/k");
      assertThat(engine.keyCount()).isZero();
    }
  }

  @Test
  void nullArgumentsAreRefusedByName() {
    try (StorageEngine engine = StorageEngines.inMemory(key -> 0)) {
      assertThatThrownBy(() -> engine.get(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key");
      assertThatThrownBy(() -> engine.put(Key.of("b", "k"), null))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sibling set");
      assertThatThrownBy(() -> engine.removeIfEquals(Key.of("b", "k"), null))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected");
    }
  }
}
