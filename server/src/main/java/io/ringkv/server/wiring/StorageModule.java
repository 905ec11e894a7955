package io.ringkv.server.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.multibindings.MapBinder;
import io.ringkv.api.ConfigException;
import io.ringkv.server.config.StorageConfig;
import io.ringkv.storage.spi.StorageEngineFactory;
import io.ringkv.storage.log.LogStorageEngines;
import io.ringkv.storage.spi.StorageEngines;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.TreeSet;

/**
 * The storage engines the node can run, in a {@code MapBinder<String, StorageEngineFactory>}
 * keyed by name ({@code memory} and {@code log}), and the one
 * {@code storage.engine} selects.
 */
public final class StorageModule extends AbstractModule {
  /** The engines this build offers, by name. */
  private static final Map<String, StorageEngineFactory> FACTORIES = Map.of(
      StorageEngines.MEMORY, StorageEngines.inMemoryFactory(),
      LogStorageEngines.factory().name(), LogStorageEngines.factory());

  /** Their names, for checking {@code storage.engine} before anything starts. */
  public static final java.util.Set<String> ENGINES = FACTORIES.keySet();

  @Override
  protected void configure() {
    MapBinder<String, StorageEngineFactory> engines =
        MapBinder.newMapBinder(binder(), String.class, StorageEngineFactory.class);
    FACTORIES.forEach((name, factory) -> engines.addBinding(name).toInstance(factory));
  }

  @Provides
  @Singleton
  StorageEngineFactory selected(Map<String, StorageEngineFactory> engines, StorageConfig config) {
    StorageEngineFactory factory = engines.get(config.engine());
    if (factory == null) {
      throw new ConfigException("storage.engine", config.engine(),
          "unknown storage engine; known: " + String.join(", ", new TreeSet<>(engines.keySet())));
    }
    return factory;
  }
}
