package io.ringkv.server.embedded;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.ringkv.api.NodeId;
import io.ringkv.replication.LocalNetwork;
import io.ringkv.replication.api.ReplicaNetwork;
import jakarta.inject.Singleton;

/** One embedded node's side of the shared {@link LocalNetwork}. */
final class LocalEndpointModule extends AbstractModule {
  @Provides
  @Singleton
  ReplicaNetwork endpoint(LocalNetwork network, NodeId self) {
    return network.endpoint(self);
  }
}
