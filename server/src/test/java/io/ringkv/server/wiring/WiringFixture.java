package io.ringkv.server.wiring;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Stage;
import io.ringkv.api.NodeId;
import io.ringkv.testkit.ManualClock;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Builds an injector the way a node does, with a fixed node id and clock. */
final class WiringFixture {
  static final NodeId NODE = NodeId.of("n1");
  static final ManualClock CLOCK = new ManualClock();

  private WiringFixture() {}

  static Injector injector(Module... modules) {
    List<Module> all = new ArrayList<>(List.of(modules));
    all.add(new AbstractModule() {
      @Override
      protected void configure() {
        bind(NodeId.class).toInstance(NODE);
        bind(Clock.class).toInstance(CLOCK);
      }
    });
    return Guice.createInjector(Stage.PRODUCTION, all);
  }

  /** The ringkv error behind a failing injection, as start-up reports it. */
  static RuntimeException failure(Runnable wiring) {
    RuntimeException e = catchThrowableOfType(RuntimeException.class, wiring::run);
    if (e == null) {
      throw new AssertionError("the wiring was expected to fail but succeeded");
    }
    return Wiring.unwrap(e);
  }
}
