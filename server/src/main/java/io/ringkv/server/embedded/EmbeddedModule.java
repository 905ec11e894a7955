package io.ringkv.server.embedded;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import io.ringkv.replication.Liveness;
import io.ringkv.replication.LocalNetwork;
import io.ringkv.ring.Ring;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * What the nodes of an embedded cluster share: one ring, one in-process network (a node is up
 * while it is connected to it), one timer and one clock.
 */
final class EmbeddedModule extends AbstractModule {
  private final Ring ring;
  private final LocalNetwork network;
  private final ScheduledExecutorService timer;
  private final Clock clock;

  EmbeddedModule(Ring ring, LocalNetwork network, ScheduledExecutorService timer, Clock clock) {
    this.ring = ring;
    this.network = network;
    this.timer = timer;
    this.clock = clock;
  }

  @Override
  protected void configure() {
    bind(Ring.class).toInstance(ring);
    bind(LocalNetwork.class).toInstance(network);
    bind(ScheduledExecutorService.class).toInstance(timer);
    bind(Clock.class).toInstance(clock);
    bind(Liveness.class).toInstance(network::isConnected);
  }

  @Provides
  io.ringkv.server.wiring.Topology topology() {
    return io.ringkv.server.wiring.Topology.FIXED;
  }

  @Provides
  Supplier<Ring> currentRing(Ring fixed) {
    return () -> fixed;
  }
}
