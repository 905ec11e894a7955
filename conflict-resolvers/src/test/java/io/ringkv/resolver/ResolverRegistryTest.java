package io.ringkv.resolver;

import static io.ringkv.resolver.V.dot;
import static io.ringkv.resolver.V.live;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.Bytes;
import io.ringkv.api.ConfigException;
import io.ringkv.api.ConflictResolver;
import io.ringkv.api.NodeId;
import io.ringkv.api.PluginLoadException;
import io.ringkv.api.Resolution;
import io.ringkv.api.spi.ConflictResolverFactory;
import io.ringkv.api.spi.PluginContext;
import io.ringkv.api.spi.RingkvPlugin;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResolverRegistryTest {
  private static final PluginContext CTX = PluginContext.of(NodeId.of("n1"), Clock.systemUTC());

  private static ConflictResolverFactory factory(String name) {
    return new ConflictResolverFactory() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public ConflictResolver create(Map<String, String> settings, PluginContext context) {
        if (settings.containsKey("boom")) {
          throw new IllegalStateException("boom=" + settings.get("boom"));
        }
        return siblings -> new Resolution.Merged(Bytes.utf8(name + settings), 1, false);
      }
    };
  }

  private static RingkvPlugin pluginOffering(String pluginName, String... names) {
    return new RingkvPlugin() {
      @Override
      public String name() {
        return pluginName;
      }

      @Override
      public List<ConflictResolverFactory> conflictResolverFactories() {
        return Arrays.stream(names).map(ResolverRegistryTest::factory).toList();
      }
    };
  }

  @Test
  void theBuiltInsAreAlwaysThere() {
    ResolverRegistry registry = ResolverRegistry.create(List.of());

    assertThat(registry.names()).containsExactly("lww", "set-union", "siblings");
    assertThat(registry.factory("lww").name()).isEqualTo("lww");
    assertThat(registry.factory("lww").description()).contains("last writer wins");
    assertThat(registry.source("siblings")).contains("built-in");
  }

  @Test
  void passingTheBuiltInsExplicitlyDoesNotCountThemTwice() {
    ResolverRegistry registry = ResolverRegistry.create(List.of(new BuiltInResolvers()));

    assertThat(registry.names()).containsExactly("lww", "set-union", "siblings");
  }

  @Test
  void eachBuiltInNameMakesItsResolver() {
    ResolverRegistry registry = ResolverRegistry.create(List.of());
    var a = live("a", dot("n1", 1), 1);
    var b = live("b", dot("n2", 1), 2);

    assertThat(registry.create("siblings", Map.of(), CTX).resolve(List.of(a, b)))
        .isEqualTo(new Resolution.Keep(List.of(a, b)));
    assertThat(registry.create("lww", Map.of(), CTX).resolve(List.of(a, b)))
        .isEqualTo(new Resolution.Merged(Bytes.utf8("b"), 2, false));
    assertThat(registry.create("set-union", Map.of(), CTX).resolve(List.of(a, b)))
        .isEqualTo(new Resolution.Merged(Bytes.utf8("a\nb"), 2, false));
  }

  @Test
  void aBuiltInRefusesSettingsNamingTheKey() {
    ResolverRegistry registry = ResolverRegistry.create(List.of());

    assertThatThrownBy(() -> registry.create("lww", Map.of("window", "5s"), CTX))
        .isInstanceOf(ConfigException.class)
        .hasMessage("resolver.window=5s: the 'lww' resolver takes no settings");
  }

  @Test
  void pluginResolversArePassedTheirSettings() {
    ResolverRegistry registry = ResolverRegistry.create(List.of(pluginOffering("p", "custom")));

    ConflictResolver r = registry.create("custom", Map.of("k", "v"), CTX);

    assertThat(r.resolve(List.of()))
        .isEqualTo(new Resolution.Merged(Bytes.utf8("custom{k=v}"), 1, false));
  }

  @Test
  void anUnknownNameListsTheKnownOnesSorted() {
    ResolverRegistry registry = ResolverRegistry.create(List.of());

    assertThatThrownBy(() -> registry.factory("x"))
        .isInstanceOf(PluginLoadException.class)
        .hasMessage("unknown resolver 'x'; known: lww, set-union, siblings");
    assertThatThrownBy(() -> registry.create(null, Map.of(), CTX))
        .isInstanceOf(PluginLoadException.class)
        .hasMessage("unknown resolver 'null'; known: lww, set-union, siblings");
  }

  @Test
  void twoPluginsOfferingOneNameAreRefusedNamingBoth() {
    assertThatThrownBy(() -> ResolverRegistry.create(
            List.of(pluginOffering("alpha", "dup"), pluginOffering("beta", "other", "dup"))))
        .isInstanceOf(PluginLoadException.class)
        .hasMessageContaining("resolver 'dup' is offered twice")
        .hasMessageContaining("plugin 'alpha'")
        .hasMessageContaining("plugin 'beta'");
  }

  @Test
  void aNameThatIsNotLowerCaseDigitsAndDashesIsRefused() {
    assertThatThrownBy(() -> ResolverRegistry.create(List.of(pluginOffering("p", "Max Value"))))
        .isInstanceOf(PluginLoadException.class)
        .hasMessageContaining("'Max Value'")
        .hasMessageContaining("lower case letters, digits and dashes");
  }

  @Test
  void aFactoryThatFailsIsReportedWithItsSource() {
    ResolverRegistry registry = ResolverRegistry.create(List.of(pluginOffering("p", "custom")));

    assertThatThrownBy(() -> registry.create("custom", Map.of("boom", "1"), CTX))
        .isInstanceOf(PluginLoadException.class)
        .hasMessageContaining("resolver 'custom' from plugin 'p'")
        .hasMessageContaining("boom=1")
        .hasCauseInstanceOf(IllegalStateException.class);
  }
}
