package io.ringkv.server.wiring;

import static io.ringkv.server.wiring.WiringFixture.failure;
import static io.ringkv.server.wiring.WiringFixture.injector;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.ConfigException;
import io.ringkv.server.config.ClusterConfig;
import io.ringkv.server.config.PluginsConfig;
import io.ringkv.server.config.StorageConfig;
import io.ringkv.storage.spi.StorageEngineFactory;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageModuleTest {
  private static ClusterConfig withEngine(String engine) {
    ClusterConfig base = ClusterConfig.embedded(new PluginsConfig(Path.of("none")));
    return new ClusterConfig(base.ring(), base.replication(), base.resolvers(),
        new StorageConfig(engine, Path.of("data"), Map.of()), base.plugins());
  }

  @Test
  void selectsTheEngineByName() {
    for (String name : new String[] {"memory", "log"}) {
      StorageEngineFactory f = injector(new ConfigModule(withEngine(name)), new StorageModule())
          .getInstance(StorageEngineFactory.class);
      assertThat(f.name()).isEqualTo(name);
    }
  }

  @Test
  void anUnknownEngineListsTheKnownOnes() {
    RuntimeException e = failure(() -> injector(new ConfigModule(withEngine("rocks")), new StorageModule()));
    assertThat(e).isInstanceOf(ConfigException.class)
        .hasMessage("storage.engine=rocks: unknown storage engine; known: log, memory");
  }
}
