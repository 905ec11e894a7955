package io.ringkv.server.wiring;

import static io.ringkv.server.wiring.WiringFixture.failure;
import static io.ringkv.server.wiring.WiringFixture.injector;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.ConfigException;
import io.ringkv.api.ConflictResolver;
import io.ringkv.api.Dot;
import io.ringkv.api.NodeId;
import io.ringkv.api.PluginLoadException;
import io.ringkv.api.QuorumSpec;
import io.ringkv.api.Resolution;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import io.ringkv.replication.BucketPolicies;
import io.ringkv.replication.BucketPolicy;
import io.ringkv.replication.ReplicationSettings;
import io.ringkv.resolver.BuiltInResolvers;
import io.ringkv.resolver.LoadedPlugin;
import io.ringkv.resolver.PluginLoader;
import io.ringkv.server.TestPlugins;
import io.ringkv.server.config.BucketConfig;
import io.ringkv.server.config.ClusterConfig;
import io.ringkv.server.config.PluginsConfig;
import io.ringkv.server.config.ReplicationConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplicationModuleTest {
  private static final ClusterConfig BASE = ClusterConfig.embedded(new PluginsConfig(Path.of("none")));

  private static BucketPolicies policies(ClusterConfig config, List<LoadedPlugin> plugins) {
    return injector(new ConfigModule(config), new ResolverModule(plugins), new ReplicationModule())
        .getInstance(BucketPolicies.class);
  }

  @Test
  void anUnknownResolverFailsWithTheSortedListOfKnownOnes() {
    ClusterConfig config = BASE.withBucket(BucketConfig.named("carts").withResolver("x"));
    RuntimeException e = failure(() -> policies(config, List.of()));
    assertThat(e).isInstanceOf(PluginLoadException.class)
        .hasMessage("unknown resolver 'x'; known: lww, set-union, siblings");
  }

  @Test
  void theKnownListIncludesPluginResolvers(@TempDir Path tmp) throws IOException {
    List<LoadedPlugin> plugins = PluginLoader.load(TestPlugins.withNumericMax(tmp.resolve("plugins")));
    ClusterConfig config = BASE.withBucket(BucketConfig.named("carts").withResolver("x"));
    assertThat(failure(() -> policies(config, plugins)))
        .hasMessage("unknown resolver 'x'; known: lww, numeric-max, set-union, siblings");
  }

  @Test
  void anUnknownDefaultResolverFailsTheSameWay() {
    ClusterConfig config = BASE.withResolvers(BASE.resolvers().withDefaultResolver("nope"));
    assertThat(failure(() -> policies(config, List.of())))
        .hasMessage("unknown resolver 'nope'; known: lww, set-union, siblings");
  }

  @ParameterizedTest
  @CsvSource({"siblings", "lww", "set-union"})
  void aBucketSelectingABuiltInByNameGetsThatResolver(String name) {
    Map<String, Supplier<ConflictResolver>> builtIns = Map.of(
        BuiltInResolvers.SIBLINGS, BuiltInResolvers::siblings,
        BuiltInResolvers.LWW, BuiltInResolvers::lww,
        BuiltInResolvers.SET_UNION, BuiltInResolvers::setUnion);
    ClusterConfig config = BASE.withResolvers(BASE.resolvers().withDefaultResolver("lww"))
        .withBucket(BucketConfig.named("b").withResolver(name));
    BucketPolicy policy = policies(config, List.of()).policyFor("b");
    assertThat(policy.resolverName()).isEqualTo(name);
    assertThat(policy.resolver()).isExactlyInstanceOf(builtIns.get(name).get().getClass());
  }

  @Test
  void undeclaredBucketsTakeTheDefaults() {
    BucketPolicies policies = policies(BASE.withBucket(BucketConfig.named("carts")
        .withResolver("set-union").withQuorum(5, 3, 3)), List.of());
    BucketPolicy other = policies.policyFor("anything");
    assertThat(other.quorum()).isEqualTo(new QuorumSpec(3, 2, 2));
    assertThat(other.resolverName()).isEqualTo("siblings");
    assertThat(other.resolver()).isExactlyInstanceOf(BuiltInResolvers.siblings().getClass());
    assertThat(policies.policyFor("carts").quorum()).isEqualTo(new QuorumSpec(5, 3, 3));
  }

  @Test
  void aBucketWithoutAResolverTakesTheDefaultResolver() {
    ClusterConfig config = BASE.withResolvers(BASE.resolvers().withDefaultResolver("lww"))
        .withBucket(BucketConfig.named("b").withQuorum(3, 3, 1));
    BucketPolicy policy = policies(config, List.of()).policyFor("b");
    assertThat(policy.resolverName()).isEqualTo("lww");
    assertThat(policy.quorum()).isEqualTo(new QuorumSpec(3, 3, 1));
  }

  @Test
  void aResolverSettingTheResolverRefusesNamesTheBucketKey() {
    ClusterConfig config = BASE.withBucket(
        new BucketConfig("b", null, null, null, "lww", Map.of("window", "5s")));
    assertThat(failure(() -> policies(config, List.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessage("bucket.b.resolver.window=5s: the 'lww' resolver takes no settings");
  }

  @Test
  void aPluginResolverIsCreatedThroughThePluginsOwnClassLoader(@TempDir Path tmp) throws IOException {
    List<LoadedPlugin> plugins = PluginLoader.load(TestPlugins.withNumericMax(tmp.resolve("plugins")));
    BucketPolicy policy = policies(BASE.withBucket(BucketConfig.named("scores")
        .withResolver("numeric-max")), plugins).policyFor("scores");
    assertThat(policy.resolverName()).isEqualTo("numeric-max");
    assertThat(policy.resolver().getClass().getClassLoader())
        .isNotSameAs(getClass().getClassLoader());
    Actor a = new Actor(NodeId.of("n1"), 1);
    Actor b = new Actor(NodeId.of("n2"), 1);
    Resolution r = policy.resolver().resolve(List.of(
        Versioned.of(Bytes.utf8("120"), new Dot(a, 1), VectorClock.empty(), 1),
        Versioned.of(Bytes.utf8("95"), new Dot(b, 1), VectorClock.empty(), 2)));
    assertThat(r).isInstanceOf(Resolution.Merged.class);
    assertThat(((Resolution.Merged) r).value()).isEqualTo(Bytes.utf8("120"));
  }

  @Test
  void theCoordinatorSettingsFollowTheReplicationConfig() {
    ClusterConfig config = BASE.withReplication(
        new ReplicationConfig(new QuorumSpec(3, 2, 2), Duration.ofMillis(300), 8));
    ReplicationSettings s = injector(new ConfigModule(config), new ResolverModule(List.of()),
        new ReplicationModule()).getInstance(ReplicationSettings.class);
    assertThat(s.requestTimeout()).isEqualTo(Duration.ofMillis(300));
    assertThat(s.pruning().maxEntries()).isEqualTo(8);
  }
}
