package io.ringkv.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.NodeId;
import io.ringkv.api.PluginLoadException;
import io.ringkv.api.QuorumSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir
  Path dir;

  private static final SortedSet<String> RESOLVERS = new TreeSet<>(Set.of("lww", "set-union", "siblings"));

  private ConfigLoader loader(Map<String, String> env, Properties sys) {
    return new ConfigLoader(env, sys, Set.of("memory", "log"), plugins -> RESOLVERS);
  }

  private ConfigLoader loader() {
    return loader(Map.of(), new Properties());
  }

  private Path file(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void defaults() {
    ServerConfig c = loader().load(null);
    assertThat(c.node()).isEqualTo(new NodeConfig(NodeId.of("127.0.0.1:7000"), "127.0.0.1", 7000));
    assertThat(c.http()).isEqualTo(new ServerConfig.HttpConfig(8098, 1024, 1024 * 1024));
    assertThat(c.clientPort()).isEqualTo(8087);
    assertThat(c.membership().seeds()).isEmpty();
    assertThat(c.membership().gossipInterval()).isEqualTo(Duration.ofMillis(200));
    assertThat(c.membership().phiThreshold()).isEqualTo(8.0);
    assertThat(c.membership().acceptablePause()).isEqualTo(Duration.ofMillis(400));
    assertThat(c.cluster().ring().partitions()).isEqualTo(64);
    assertThat(c.cluster().replication().defaults()).isEqualTo(new QuorumSpec(3, 2, 2));
    assertThat(c.cluster().replication().requestTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.cluster().replication().replicaTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.cluster().handoff()).isEqualTo(HandoffConfig.DEFAULTS);
    assertThat(c.cluster().handoff()).isEqualTo(new HandoffConfig(Duration.ofSeconds(1), 2000,
        16L << 20, Duration.ofHours(3), 256L << 20));
    assertThat(c.cluster().resolvers().defaultResolver()).isEqualTo("siblings");
    assertThat(c.cluster().resolvers().buckets()).isEmpty();
    assertThat(c.cluster().storage().engine()).isEqualTo("log");
    assertThat(c.cluster().storage().dir()).isEqualTo(Path.of("data"));
    assertThat(c.cluster().storage().options()).containsEntry("sync", "batch");
    assertThat(c.cluster().plugins().dir()).isEqualTo(Path.of("plugins"));
  }

  @Test
  void everyKeyMapsFromAPropertiesFile() throws IOException {
    Path f = file("ringkv.properties", String.join("\n",
        "node.id = alpha", "node.host = 127.0.0.2", "node.port = 7100", "http.port = 8100",
        "http.max.key.bytes = 512", "http.max.value.bytes = 2048", "client.port = 8200",
        "cluster.seeds = 127.0.0.1:7000, 127.0.0.1:7001", "gossip.interval.ms = 250",
        "failure.phi.threshold = 10.5", "ring.partitions = 128", "replication.n = 5",
        "replication.r = 3", "replication.w = 3", "replication.timeout.ms = 900",
        "replication.max.clock.entries = 20", "resolver.default = lww", "storage.engine = memory",
        "storage.dir = /var/lib/ringkv", "storage.sync = always", "storage.option.compaction.threshold = 0.7",
        "plugins.dir = /opt/plugins", "bucket.carts.resolver = set-union", "bucket.carts.n = 3",
        "bucket.carts.r = 2", "bucket.carts.w = 2", "bucket.cache.w = 1", "bucket.cache.r = 5",
        "bucket.carts.sloppy = false", "replication.replica.timeout.ms = 300",
        "failure.acceptable.pause.ms = 900", "handoff.interval.ms = 500",
        "handoff.max.rate = 100/s, 1m/s", "handoff.max.hint.age = 90m",
        "handoff.max.hint.bytes = 64m", "antientropy.enabled = false",
        "antientropy.interval = 2m", "antientropy.max.rate = 500/s, 2m/s"));
    ServerConfig c = loader().load(f);
    assertThat(c.cluster().antiEntropy()).isEqualTo(new AntiEntropyConfig(false,
        Duration.ofMinutes(2), 500, 2L << 20));
    ServerConfig placed = c.withFolders(Path.of("/srv/ringkv"));
    assertThat(placed.cluster().antiEntropy()).as("resolving folders keeps every other setting")
        .isEqualTo(c.cluster().antiEntropy());
    assertThat(placed.cluster().handoff()).isEqualTo(c.cluster().handoff());
    assertThat(placed.cluster().resolvers()).isEqualTo(c.cluster().resolvers());
    assertThat(c.node()).isEqualTo(new NodeConfig(NodeId.of("alpha"), "127.0.0.2", 7100));
    assertThat(c.http()).isEqualTo(new ServerConfig.HttpConfig(8100, 512, 2048));
    assertThat(c.clientPort()).isEqualTo(8200);
    assertThat(c.membership().seeds()).containsExactly(new Endpoint("127.0.0.1", 7000),
        new Endpoint("127.0.0.1", 7001));
    assertThat(c.membership().gossipInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(c.membership().phiThreshold()).isEqualTo(10.5);
    assertThat(c.cluster().ring().partitions()).isEqualTo(128);
    assertThat(c.cluster().replication()).isEqualTo(new ReplicationConfig(new QuorumSpec(5, 3, 3),
        Duration.ofMillis(900), 20, Duration.ofMillis(300)));
    assertThat(c.membership().acceptablePause()).isEqualTo(Duration.ofMillis(900));
    assertThat(c.cluster().handoff()).isEqualTo(new HandoffConfig(Duration.ofMillis(500), 100,
        1L << 20, Duration.ofMinutes(90), 64L << 20));
    assertThat(c.cluster().resolvers().buckets().get("carts").isSloppy()).isFalse();
    assertThat(c.cluster().resolvers().buckets().get("cache").isSloppy()).isTrue();
    assertThat(c.cluster().resolvers().defaultResolver()).isEqualTo("lww");
    assertThat(c.cluster().resolvers().buckets().get("carts").resolver()).isEqualTo("set-union");
    assertThat(c.cluster().resolvers().buckets().get("carts").quorum(new QuorumSpec(5, 3, 3)))
        .isEqualTo(new QuorumSpec(3, 2, 2));
    assertThat(c.cluster().resolvers().buckets().get("cache").quorum(new QuorumSpec(5, 3, 3)))
        .isEqualTo(new QuorumSpec(5, 5, 1));
    assertThat(c.cluster().storage()).isEqualTo(new StorageConfig("memory", Path.of("/var/lib/ringkv"),
        Map.of("sync", "always", "compaction.threshold", "0.7")));
    assertThat(c.cluster().plugins().dir()).isEqualTo(Path.of("/opt/plugins"));
  }

  @Test
  void brokenHandoffAndSloppyValuesAreAllReportedNamingTheKey() throws IOException {
    Path f = file("ringkv.properties", String.join("\n",
        "handoff.max.rate = fast", "handoff.max.hint.age = 3 hours", "handoff.max.hint.bytes = lots",
        "bucket.carts.sloppy = maybe", "replication.timeout.ms = 500",
        "replication.replica.timeout.ms = 500"));
    assertThatThrownBy(() -> loader().load(f)).isInstanceOf(ConfigErrors.class)
        .hasMessageContaining("handoff.max.rate=fast: 'fast' is not a rate")
        .hasMessageContaining("handoff.max.hint.age=3 hours: '3 hours' is not a duration")
        .hasMessageContaining("handoff.max.hint.bytes=lots: 'lots' is not a size")
        .hasMessageContaining("bucket.carts.sloppy=maybe: must be true or false")
        .hasMessageContaining("replication.replica.timeout.ms")
        .hasMessageContaining("less than replication.timeout.ms (500)");
  }

  @Test
  void antiEntropyDefaultsAndBrokenValuesNamingTheKey() throws IOException {
    assertThat(loader().load(null).cluster().antiEntropy()).isEqualTo(AntiEntropyConfig.DEFAULTS);
    assertThat(AntiEntropyConfig.DEFAULTS.settings().interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(AntiEntropyConfig.DEFAULTS.settings().maxKeysPerSecond()).isEqualTo(2000);
    assertThat(AntiEntropyConfig.DEFAULTS.settings().maxBytesPerSecond()).isEqualTo(8L << 20);
    Path f = file("ringkv.properties", String.join("\n", "antientropy.enabled = sometimes",
        "antientropy.interval = 10ms", "antientropy.max.rate = quick"));
    assertThatThrownBy(() -> loader().load(f)).isInstanceOf(ConfigErrors.class)
        .hasMessageContaining("antientropy.enabled=sometimes: must be true or false")
        .hasMessageContaining("antientropy.max.rate=quick: 'quick' is not a rate");
    Path g = file("other.properties", "antientropy.interval = 10ms\n");
    assertThatThrownBy(() -> loader().load(g)).isInstanceOf(ConfigErrors.class)
        .hasMessageContaining("antientropy.interval").hasMessageContaining("at least 100ms");
  }

  @Test
  void withoutAReplicaTimeoutItIsHalfAShortRequestTimeout() throws IOException {
    ServerConfig c = loader().load(file("ringkv.properties", "replication.timeout.ms = 900\n"));
    assertThat(c.cluster().replication().replicaTimeout()).isEqualTo(Duration.ofMillis(450));
  }

  @Test
  void yamlIsAcceptedToo() throws IOException {
    Path f = file("ringkv.yaml", String.join("\n",
        "node:", "  id: beta", "  port: 7300", "replication:", "  n: 3", "  r: 3", "  w: 1",
        "cluster:", "  seeds: 127.0.0.1:7000", "bucket:", "  carts:", "    resolver: set-union"));
    ServerConfig c = loader().load(f);
    assertThat(c.node().id()).isEqualTo(NodeId.of("beta"));
    assertThat(c.node().port()).isEqualTo(7300);
    assertThat(c.cluster().replication().defaults()).isEqualTo(new QuorumSpec(3, 3, 1));
    assertThat(c.membership().seeds()).containsExactly(new Endpoint("127.0.0.1", 7000));
    assertThat(c.cluster().resolvers().buckets().get("carts").resolver()).isEqualTo("set-union");
  }

  @Test
  void environmentOverridesTheFileAndSystemPropertiesOverrideBoth() throws IOException {
    Path f = file("ringkv.properties", "node.id = from-file\nhttp.port = 8100\nnode.port = 7100\n");
    Properties sys = new Properties();
    sys.setProperty("http.port", "8300");
    sys.setProperty("java.version.whatever", "ignored");
    ServerConfig c = loader(Map.of("RINGKV_NODE_ID", "from-env", "RINGKV_HTTP_PORT", "8200",
        "RINGKV_HOME", "/opt/ringkv", "PATH", "/bin"), sys).load(f);
    assertThat(c.node().id()).isEqualTo(NodeId.of("from-env"));
    assertThat(c.http().port()).isEqualTo(8300);
    assertThat(c.node().port()).isEqualTo(7100);
  }

  @Test
  void everyErrorIsCollectedInOneNumberedList() throws IOException {
    Path f = file("bad.properties", String.join("\n",
        "replication.nn = 3", "replication.r = 1", "replication.w = 1", "node.port = 70000",
        "http.port = eighty", "bucket.carts.resolver = sets", "storage.engine = rocks",
        "storage.sync = sometimes"));
    assertThatThrownBy(() -> loader(Map.of("RINGKV_RING_PARTITION", "64"), new Properties()).load(f))
        .isInstanceOf(ConfigErrors.class)
        .satisfies(e -> {
          ConfigErrors errors = (ConfigErrors) e;
          assertThat(errors.errors()).anySatisfy(s -> assertThat(s)
              .contains("unknown key 'replication.nn'").contains("did you mean 'replication.n'"));
          assertThat(errors.errors()).anySatisfy(s -> assertThat(s)
              .contains("RINGKV_RING_PARTITION").contains("did you mean 'ring.partitions'"));
          assertThat(e.getMessage()).contains("  1. ").contains("  2. ");
        });
    Path g = file("bad2.properties", String.join("\n",
        "replication.r = 1", "replication.w = 1", "node.port = 70000", "http.port = eighty",
        "bucket.carts.resolver = sets", "storage.engine = rocks", "storage.sync = sometimes"));
    assertThatThrownBy(() -> loader().load(g)).isInstanceOf(ConfigErrors.class)
        .satisfies(e -> assertThat(((ConfigErrors) e).errors()).anySatisfy(s -> assertThat(s)
            .contains("node.port=70000").contains("from 1 to 65535"))
            .anySatisfy(s -> assertThat(s).contains("http.port=eighty").contains("whole number"))
            .anySatisfy(s -> assertThat(s).contains("storage.sync=sometimes"))
            .anySatisfy(s -> assertThat(s).contains("r + w > n"))
            .anySatisfy(s -> assertThat(s).contains("unknown resolver 'sets'"))
            .anySatisfy(s -> assertThat(s).contains("unknown storage engine"))
            .hasSize(6));
    Path h = file("bad3.properties", String.join("\n",
        "replication.r = 1", "replication.w = 1", "bucket.carts.resolver = sets"));
    assertThatThrownBy(() -> loader().load(h)).isInstanceOf(ConfigErrors.class)
        .satisfies(e -> assertThat(((ConfigErrors) e).errors())
            .anySatisfy(s -> assertThat(s).contains("r + w > n"))
            .anySatisfy(s -> assertThat(s).contains("unknown resolver 'sets'"))
            .hasSize(2));
    Path i = file("bad4.properties", String.join("\n",
        "bucket.carts.resolver = sets", "storage.engine = rocks"));
    assertThatThrownBy(() -> loader().load(i)).isInstanceOf(ConfigErrors.class)
        .satisfies(e -> assertThat(((ConfigErrors) e).errors())
            .anySatisfy(s -> assertThat(s).contains("unknown resolver 'sets'; known: lww, set-union, siblings"))
            .anySatisfy(s -> assertThat(s).contains("unknown storage engine; known: log, memory"))
            .hasSize(2));
  }

  @Test
  void aMissingFileIsOneClearError() {
    assertThatThrownBy(() -> loader().load(dir.resolve("nope.properties")))
        .isInstanceOf(ConfigErrors.class).hasMessageContaining("does not exist");
  }

  @Test
  void theThreePortsMustDiffer() throws IOException {
    Path f = file("ports.properties", "node.port = 8098\n");
    assertThatThrownBy(() -> loader().load(f)).isInstanceOf(ConfigErrors.class)
        .hasMessageContaining("three different ports");
  }

  @Test
  void aBrokenPluginsFolderIsReportedAgainstItsKey() throws IOException {
    Path f = file("p.properties", "plugins.dir = /nowhere\n");
    ConfigLoader l = new ConfigLoader(Map.of(), new Properties(), Set.of("log"), p -> {
      throw new PluginLoadException("cannot read " + p);
    });
    assertThatThrownBy(() -> l.load(f)).isInstanceOf(ConfigErrors.class)
        .hasMessageContaining("plugins.dir=/nowhere: cannot read /nowhere");
  }
}
