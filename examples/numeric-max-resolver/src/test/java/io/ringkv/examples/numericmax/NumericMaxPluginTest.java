package io.ringkv.examples.numericmax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.ConfigException;
import io.ringkv.api.NodeId;
import io.ringkv.api.spi.ConflictResolverFactory;
import io.ringkv.api.spi.PluginContext;
import io.ringkv.api.spi.RingkvPlugin;
import java.time.Clock;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class NumericMaxPluginTest {
  private static final PluginContext CTX = PluginContext.of(NodeId.of("n1"), Clock.systemUTC());

  @Test
  void isDeclaredForServiceLoader() {
    assertThat(ServiceLoader.load(RingkvPlugin.class).stream().map(ServiceLoader.Provider::type))
        .contains(NumericMaxPlugin.class);
  }

  @Test
  void offersTheNumericMaxResolver() {
    assertThat(new NumericMaxPlugin().conflictResolverFactories())
        .singleElement()
        .satisfies(f -> {
          assertThat(f.name()).isEqualTo("numeric-max");
          assertThat(f.description()).contains("greatest");
          assertThat(f.create(Map.of(), CTX)).isInstanceOf(NumericMaxResolver.class);
        });
  }

  @Test
  void refusesSettingsNamingTheKey() {
    ConflictResolverFactory factory = new NumericMaxPlugin().conflictResolverFactories().get(0);

    assertThatThrownBy(() -> factory.create(Map.of("scale", "2"), CTX))
        .isInstanceOf(ConfigException.class)
        .hasMessage("resolver.scale=2: the 'numeric-max' resolver takes no settings");
  }
}
