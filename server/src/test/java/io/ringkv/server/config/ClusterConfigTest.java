package io.ringkv.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.ConfigException;
import io.ringkv.api.QuorumSpec;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {
  private static final PluginsConfig PLUGINS = new PluginsConfig(Path.of("p"));

  @Test
  void embeddedDefaults() {
    ClusterConfig c = ClusterConfig.embedded(PLUGINS);
    assertThat(c.ring().partitions()).isEqualTo(64);
    assertThat(c.replication().defaults()).isEqualTo(new QuorumSpec(3, 2, 2));
    assertThat(c.replication().requestTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.resolvers().defaultResolver()).isEqualTo("siblings");
    assertThat(c.storage().engine()).isEqualTo("memory");
    assertThat(c.plugins()).isEqualTo(PLUGINS);
  }

  @Test
  void everyBucketIsCheckedAgainstTheReplicationDefaults() {
    BucketConfig fast = BucketConfig.named("fast").withQuorum(null, 1, null);
    // r=1 with the default n=3, w=2 breaks r + w > n.
    assertThatThrownBy(() -> ClusterConfig.embedded(PLUGINS).withBucket(fast))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bucket 'fast'")
        .hasMessageContaining("r + w > n is required");
    // With w=3 by default the same bucket is valid...
    ClusterConfig lenient = ClusterConfig.embedded(PLUGINS)
        .withReplication(new ReplicationConfig(new QuorumSpec(3, 1, 3), Duration.ofSeconds(2), 64))
        .withBucket(fast);
    assertThat(lenient.resolvers().buckets().get("fast").quorum(lenient.replication().defaults()))
        .isEqualTo(new QuorumSpec(3, 1, 3));
    // ...and changing the defaults afterwards checks it again.
    assertThatThrownBy(() -> lenient.withReplication(ReplicationConfig.DEFAULTS))
        .hasMessageContaining("bucket 'fast'");
  }

  @Test
  void refusesAMissingPart() {
    assertThatThrownBy(() -> new ClusterConfig(RingConfig.DEFAULTS, null, ResolverConfig.DEFAULTS,
        StorageConfig.EMBEDDED, PLUGINS)).isInstanceOf(ConfigException.class);
  }
}
