package io.ringkv.server.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.ringkv.api.ConfigException;
import io.ringkv.api.ConflictResolver;
import io.ringkv.api.NodeId;
import io.ringkv.api.PluginLoadException;
import io.ringkv.api.RingkvException;
import io.ringkv.api.spi.ConflictResolverFactory;
import io.ringkv.api.spi.PluginContext;
import io.ringkv.replication.BucketPolicies;
import io.ringkv.replication.BucketPolicy;
import io.ringkv.replication.HandoffSettings;
import io.ringkv.replication.ReplicationSettings;
import io.ringkv.server.config.BucketConfig;
import io.ringkv.server.config.HandoffConfig;
import io.ringkv.server.config.ReplicationConfig;
import io.ringkv.server.config.ResolverConfig;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * One node's replication policy: the coordinator's settings and the {@link BucketPolicies},
 * where each declared bucket gets its quorum and the resolver it names, picked by name from the
 * resolver factories bound by {@link ResolverModule}. An unknown name fails start-up with
 * {@code unknown resolver 'x'; known: lww, set-union, siblings} (the sorted list of names).
 */
public final class ReplicationModule extends AbstractModule {

  @Provides
  @Singleton
  ReplicationSettings settings(ReplicationConfig config) {
    return config.settings();
  }

  @Provides
  @Singleton
  HandoffSettings handoff(HandoffConfig config) {
    return config.settings();
  }

  @Provides
  @Singleton
  PluginContext pluginContext(NodeId node, Clock clock) {
    return PluginContext.of(node, clock);
  }

  @Provides
  @Singleton
  BucketPolicies policies(ResolverConfig resolvers, ReplicationConfig replication,
      Map<String, ConflictResolverFactory> factories, PluginContext context) {
    String defaultName = resolvers.defaultResolver();
    BucketPolicy defaults = new BucketPolicy(replication.defaults(), defaultName,
        create(factories, defaultName, Map.of(), context, "resolver.default"));
    Map<String, BucketPolicy> declared = new HashMap<>();
    for (BucketConfig bucket : resolvers.buckets().values()) {
      String name = bucket.resolverOr(defaultName);
      ConflictResolver resolver = create(factories, name, bucket.resolverSettings(), context,
          "bucket." + bucket.name());
      declared.put(bucket.name(), new BucketPolicy(bucket.quorum(replication.defaults()), name,
          resolver, bucket.isSloppy()));
    }
    return BucketPolicies.of(defaults, declared);
  }

  private static ConflictResolver create(Map<String, ConflictResolverFactory> factories,
      String name, Map<String, String> settings, PluginContext context, String where) {
    ConflictResolverFactory factory = factories.get(name);
    if (factory == null) {
      throw new PluginLoadException("unknown resolver '" + name + "'; known: "
          + String.join(", ", new TreeSet<>(factories.keySet())));
    }
    ConflictResolver resolver;
    try {
      resolver = factory.create(settings, context);
    } catch (ConfigException e) {
      throw new ConfigException(where + "." + e.key(), e.value(), e.reason());
    } catch (RingkvException e) {
      throw e;
    } catch (RuntimeException | LinkageError e) {
      throw new PluginLoadException("resolver '" + name + "' (" + where + ") failed to start: " + e, e);
    }
    if (resolver == null) {
      throw new PluginLoadException("resolver '" + name + "' (" + where + ") returned no resolver");
    }
    return resolver;
  }
}
