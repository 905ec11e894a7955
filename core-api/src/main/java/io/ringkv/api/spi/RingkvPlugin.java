package io.ringkv.api.spi;

import java.util.List;

/**
 * The entry point of a plugin jar, found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/io.ringkv.api.spi.RingkvPlugin}. Every method has a default, so a
 * plugin overrides only what it provides. Compile against ringkv-core-api alone.
 */
public interface RingkvPlugin {
  /** A short name for logs and errors. */
  default String name() {
    return getClass().getSimpleName();
  }

  /** Conflict resolvers this plugin provides, each selectable by name per bucket. */
  default List<ConflictResolverFactory> conflictResolverFactories() {
    return List.of();
  }
}
