package io.ringkv.server.config;

import io.ringkv.api.ConfigException;
import io.ringkv.api.NodeId;
import io.ringkv.api.QuorumSpec;
import io.ringkv.api.RingkvException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import org.apache.commons.configuration2.CompositeConfiguration;
import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.MapConfiguration;
import org.apache.commons.configuration2.YAMLConfiguration;
import org.apache.commons.configuration2.builder.FileBasedConfigurationBuilder;
import org.apache.commons.configuration2.builder.fluent.Configurations;
import org.apache.commons.configuration2.builder.fluent.Parameters;
import org.apache.commons.configuration2.ex.ConfigurationException;

/**
 * Reads a node's configuration with Apache Commons Configuration: the file
 * ({@code .properties}, or {@code .yaml}/{@code .yml}), overridden by {@code RINGKV_*} environment
 * variables ({@code RINGKV_NODE_ID} for {@code node.id}), overridden by system properties named
 * as the keys. Everything is read and checked at once; every error (unknown key with a "did you
 * mean", wrong type, broken rule, unknown resolver or engine) is collected and thrown together as
 * {@link ConfigErrors}, before any socket opens.
 */
public final class ConfigLoader {
  private final Map<String, String> environment;
  private final Properties system;
  private final Set<String> knownEngines;
  private final Function<Path, SortedSet<String>> resolversIn;

  /**
   * @param knownEngines the storage engine names this build offers
   * @param resolversIn the resolver names available with a given plugins folder (built-ins
   *     included); may throw a RingkvException, reported as an error of {@code plugins.dir}
   */
  public ConfigLoader(Map<String, String> environment, Properties system, Set<String> knownEngines,
      Function<Path, SortedSet<String>> resolversIn) {
    this.environment = Map.copyOf(environment);
    this.system = system;
    this.knownEngines = Set.copyOf(knownEngines);
    this.resolversIn = resolversIn;
  }

  /** Loads {@code file} (null: defaults and overrides only). */
  public ServerConfig load(Path file) {
    List<String> errors = new ArrayList<>();
    String source = file == null ? "(defaults)" : file.toString();
    Map<String, String> values = read(file, errors);
    ServerConfig config = errors.isEmpty() ? build(values, errors) : null;
    if (!errors.isEmpty()) {
      throw new ConfigErrors(source, errors);
    }
    return config;
  }

  // ---------------------------------------------------------------- reading

  private Map<String, String> read(Path file, List<String> errors) {
    CompositeConfiguration layered = new CompositeConfiguration();
    Map<String, Object> sys = new HashMap<>();
    for (String name : system.stringPropertyNames()) {
      if (ConfigKeys.isKnown(name)) {
        sys.put(name, system.getProperty(name));
      }
    }
    layered.addConfiguration(new MapConfiguration(sys));
    Map<String, Object> env = new HashMap<>();
    environment.forEach((variable, value) -> {
      String key = ConfigKeys.fromEnvironment(variable);
      if (key != null) {
        checkKnown(key, "environment variable " + variable, errors);
        env.put(key, value);
      }
    });
    layered.addConfiguration(new MapConfiguration(env));
    if (file != null) {
      Configuration fromFile = readFile(file, errors);
      if (fromFile != null) {
        for (Iterator<String> it = fromFile.getKeys(); it.hasNext(); ) {
          checkKnown(it.next(), null, errors);
        }
        layered.addConfiguration(fromFile);
      }
    }
    Map<String, String> values = new TreeMap<>();
    for (Iterator<String> it = layered.getKeys(); it.hasNext(); ) {
      String key = it.next();
      List<Object> list = layered.getList(key);
      values.put(key, list.size() == 1 ? String.valueOf(list.get(0))
          : String.join(",", list.stream().map(String::valueOf).toList()));
    }
    return values;
  }

  private static Configuration readFile(Path file, List<String> errors) {
    if (!Files.isRegularFile(file)) {
      errors.add("config file " + file + " does not exist or is not a file");
      return null;
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    File f = file.toFile();
    try {
      if (name.endsWith(".yaml") || name.endsWith(".yml")) {
        return new FileBasedConfigurationBuilder<>(YAMLConfiguration.class)
            .configure(new Parameters().fileBased().setFile(f)).getConfiguration();
      }
      return new Configurations().properties(f);
    } catch (ConfigurationException | RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      errors.add("config file " + file + " cannot be read: " + cause.getMessage());
      return null;
    }
  }

  private static void checkKnown(String key, String origin, List<String> errors) {
    if (ConfigKeys.isKnown(key)) {
      return;
    }
    String suggestion = ConfigKeys.suggest(key);
    errors.add("unknown key '" + key + "'" + (origin == null ? "" : " (from " + origin + ")")
        + (suggestion == null ? "" : "; did you mean '" + suggestion + "'?"));
  }

  // ---------------------------------------------------------------- building

  private ServerConfig build(Map<String, String> v, List<String> errors) {
    Typed t = new Typed(v, errors);
    String host = t.string(ConfigKeys.NODE_HOST);
    int port = t.port(ConfigKeys.NODE_PORT);
    int httpPort = t.port(ConfigKeys.HTTP_PORT);
    int clientPort = t.port(ConfigKeys.CLIENT_PORT);
    String idText = t.string(ConfigKeys.NODE_ID);
    NodeConfig node = t.make(ConfigKeys.NODE_ID, () -> new NodeConfig(
        NodeId.of(idText.isBlank() ? host + ":" + port : idText), host, port));
    ServerConfig.HttpConfig http = t.make(ConfigKeys.HTTP_PORT, () -> new ServerConfig.HttpConfig(
        httpPort, t.integer(ConfigKeys.HTTP_MAX_KEY_BYTES, 1, 65_536),
        t.integer(ConfigKeys.HTTP_MAX_VALUE_BYTES, 1, 256 * 1024 * 1024)));
    List<Endpoint> seeds = new ArrayList<>();
    for (String s : t.string(ConfigKeys.CLUSTER_SEEDS).split(",")) {
      if (!s.isBlank()) {
        t.make(ConfigKeys.CLUSTER_SEEDS, () -> seeds.add(Endpoint.parse(ConfigKeys.CLUSTER_SEEDS, s)));
      }
    }
    String advertisedHost = t.string(ConfigKeys.NODE_ADVERTISED_HOST).trim();
    int advertisedPort = t.string(ConfigKeys.NODE_ADVERTISED_PORT).isBlank() ? port
        : t.port(ConfigKeys.NODE_ADVERTISED_PORT);
    Endpoint advertised = advertisedHost.isEmpty() && advertisedPort == port ? null
        : t.make(ConfigKeys.NODE_ADVERTISED_HOST, () -> new Endpoint(
            advertisedHost.isEmpty() ? host : advertisedHost, advertisedPort));
    ServerConfig.MembershipConfig membership = t.make(ConfigKeys.GOSSIP_INTERVAL_MS,
        () -> new ServerConfig.MembershipConfig(seeds,
            Duration.ofMillis(t.integer(ConfigKeys.GOSSIP_INTERVAL_MS, 10, 600_000)),
            t.decimal(ConfigKeys.FAILURE_PHI_THRESHOLD),
            Duration.ofMillis(t.integer(ConfigKeys.FAILURE_ACCEPTABLE_PAUSE_MS, 0, 600_000)),
            advertised));
    RingConfig ring = t.make(ConfigKeys.RING_PARTITIONS,
        () -> new RingConfig(t.integer(ConfigKeys.RING_PARTITIONS, 1, 65_536)));
    int n = t.integer(ConfigKeys.REPLICATION_N, 1, 64);
    int r = t.integer(ConfigKeys.REPLICATION_R, 1, 64);
    int w = t.integer(ConfigKeys.REPLICATION_W, 1, 64);
    Duration timeout = Duration.ofMillis(t.integer(ConfigKeys.REPLICATION_TIMEOUT_MS, 1, 600_000));
    int clockEntries = t.integer(ConfigKeys.REPLICATION_MAX_CLOCK_ENTRIES, 1, 4096);
    ReplicationConfig replication = t.make(ConfigKeys.REPLICATION_N, () ->
        t.string(ConfigKeys.REPLICATION_REPLICA_TIMEOUT_MS).isBlank()
            ? new ReplicationConfig(new QuorumSpec(n, r, w), timeout, clockEntries)
            : new ReplicationConfig(new QuorumSpec(n, r, w), timeout, clockEntries, Duration.ofMillis(
                t.integer(ConfigKeys.REPLICATION_REPLICA_TIMEOUT_MS, 1, 600_000))));
    HandoffConfig handoff = handoff(t);
    AntiEntropyConfig antiEntropy = antiEntropy(t);
    PluginsConfig plugins = t.make(ConfigKeys.PLUGINS_DIR,
        () -> new PluginsConfig(Path.of(t.string(ConfigKeys.PLUGINS_DIR))));
    ResolverConfig resolvers = buckets(v, t);
    StorageConfig storage = storage(v, t);
    if (resolvers != null && storage != null && plugins != null) {
      checkNames(resolvers, storage, plugins, errors);
    }
    if (!errors.isEmpty()) {
      return null;
    }
    ClusterConfig cluster = t.make("bucket", () -> new ClusterConfig(ring, replication, resolvers,
        storage, plugins, handoff, antiEntropy));
    ServerConfig config = t.make(ConfigKeys.NODE_PORT,
        () -> new ServerConfig(node, http, clientPort, membership, cluster));
    return errors.isEmpty() ? config : null;
  }

  private static HandoffConfig handoff(Typed t) {
    int interval = t.integer(ConfigKeys.HANDOFF_INTERVAL_MS, 10, 600_000);
    long[] rate = t.parsed(ConfigKeys.HANDOFF_MAX_RATE, HandoffConfig::parseRate, new long[2]);
    Duration age = t.parsed(ConfigKeys.HANDOFF_MAX_HINT_AGE, Sizes::duration, Duration.ofHours(3));
    long bytes = t.parsed(ConfigKeys.HANDOFF_MAX_HINT_BYTES, Sizes::parse, 256L << 20);
    return t.make(ConfigKeys.HANDOFF_MAX_RATE, () -> new HandoffConfig(Duration.ofMillis(interval),
        rate[0], rate[1], age, bytes));
  }

  private static AntiEntropyConfig antiEntropy(Typed t) {
    String enabled = t.string(ConfigKeys.ANTIENTROPY_ENABLED).trim();
    if (!enabled.equals("true") && !enabled.equals("false")) {
      t.error(ConfigKeys.ANTIENTROPY_ENABLED, enabled, "must be true or false");
    }
    Duration interval = t.parsed(ConfigKeys.ANTIENTROPY_INTERVAL, Sizes::duration,
        Duration.ofSeconds(30));
    long[] rate = t.parsed(ConfigKeys.ANTIENTROPY_MAX_RATE, HandoffConfig::parseRate, new long[2]);
    return t.make(ConfigKeys.ANTIENTROPY_MAX_RATE, () -> new AntiEntropyConfig(
        !enabled.equals("false"), interval, rate[0], rate[1]));
  }

  private ResolverConfig buckets(Map<String, String> v, Typed t) {
    Map<String, BucketConfig> buckets = new LinkedHashMap<>();
    Map<String, Map<String, String>> settings = new HashMap<>();
    v.forEach((key, value) -> {
      Matcher m = ConfigKeys.BUCKET_KEY.matcher(key);
      if (!m.matches()) {
        return;
      }
      String bucket = m.group(1);
      String field = m.group(2);
      BucketConfig b = buckets.getOrDefault(bucket, BucketConfig.named(bucket));
      if (m.group(4) != null) {
        if (!field.equals("resolver")) {
          t.error(key, value, "unknown bucket setting; use bucket." + bucket + ".n, .r, .w, "
              + ".sloppy, .resolver or .resolver.<setting>");
          return;
        }
        settings.computeIfAbsent(bucket, x -> new TreeMap<>()).put(m.group(4), value);
      } else if (field.equals("resolver")) {
        b = b.withResolver(value.trim());
      } else if (field.equals("sloppy")) {
        String flag = value.trim().toLowerCase(java.util.Locale.ROOT);
        if (!flag.equals("true") && !flag.equals("false")) {
          t.error(key, value, "must be true or false");
          return;
        }
        b = b.withSloppy(Boolean.valueOf(flag));
      } else {
        Integer number = t.parseInt(key, value, 1, 64);
        if (number == null) {
          return;
        }
        b = b.withQuorum(field.equals("n") ? number : b.n(), field.equals("r") ? number : b.r(),
            field.equals("w") ? number : b.w());
      }
      buckets.put(bucket, b);
    });
    Map<String, BucketConfig> done = new LinkedHashMap<>();
    buckets.forEach((name, b) -> {
      Map<String, String> s = settings.getOrDefault(name, Map.of());
      done.put(name, t.make("bucket." + name, () -> new BucketConfig(name, b.n(), b.r(), b.w(),
          b.resolver(), s, b.sloppy())));
    });
    return t.make(ConfigKeys.RESOLVER_DEFAULT,
        () -> new ResolverConfig(t.string(ConfigKeys.RESOLVER_DEFAULT).trim(), done));
  }

  private StorageConfig storage(Map<String, String> v, Typed t) {
    String sync = t.string(ConfigKeys.STORAGE_SYNC).trim();
    if (!Set.of("none", "batch", "always").contains(sync)) {
      t.error(ConfigKeys.STORAGE_SYNC, sync, "must be one of none, batch, always");
    }
    Map<String, String> options = new TreeMap<>();
    options.put("sync", sync);
    v.forEach((key, value) -> {
      if (key.startsWith("storage.option.")) {
        options.put(key.substring("storage.option.".length()), value);
      }
    });
    return t.make(ConfigKeys.STORAGE_ENGINE, () -> new StorageConfig(
        t.string(ConfigKeys.STORAGE_ENGINE).trim(), Path.of(t.string(ConfigKeys.STORAGE_DIR)),
        options));
  }

  private void checkNames(ResolverConfig resolvers, StorageConfig storage, PluginsConfig plugins,
      List<String> errors) {
    if (!knownEngines.contains(storage.engine())) {
      errors.add(ConfigKeys.STORAGE_ENGINE + "=" + storage.engine() + ": unknown storage engine; known: "
          + String.join(", ", new java.util.TreeSet<>(knownEngines)));
    }
    SortedSet<String> known;
    try {
      known = resolversIn.apply(plugins.dir());
    } catch (RingkvException e) {
      errors.add(ConfigKeys.PLUGINS_DIR + "=" + plugins.dir() + ": " + e.getMessage());
      return;
    }
    String list = String.join(", ", known);
    if (!known.contains(resolvers.defaultResolver())) {
      errors.add(ConfigKeys.RESOLVER_DEFAULT + "=" + resolvers.defaultResolver()
          + ": unknown resolver '" + resolvers.defaultResolver() + "'; known: " + list);
    }
    resolvers.buckets().values().forEach(b -> {
      if (b.resolver() != null && !known.contains(b.resolver())) {
        errors.add("bucket." + b.name() + ".resolver=" + b.resolver() + ": unknown resolver '"
            + b.resolver() + "'; known: " + list);
      }
    });
  }

  /** Typed reads that record an error and return a placeholder instead of throwing. */
  private static final class Typed {
    private final Map<String, String> values;
    private final List<String> errors;

    Typed(Map<String, String> values, List<String> errors) {
      this.values = values;
      this.errors = errors;
    }

    String string(String key) {
      String s = values.get(key);
      return s != null ? s : ConfigKeys.DEFAULTS.getOrDefault(key, "");
    }

    int integer(String key, int min, int max) {
      Integer i = parseInt(key, string(key), min, max);
      return i == null ? min : i;
    }

    int port(String key) {
      return integer(key, 1, 65535);
    }

    double decimal(String key) {
      String s = string(key).trim();
      try {
        return Double.parseDouble(s);
      } catch (NumberFormatException e) {
        error(key, s, "must be a number");
        return 1;
      }
    }

    Integer parseInt(String key, String text, int min, int max) {
      String s = text.trim();
      try {
        int i = Integer.parseInt(s);
        if (i < min || i > max) {
          error(key, s, "must be from " + min + " to " + max);
          return null;
        }
        return i;
      } catch (NumberFormatException e) {
        error(key, s, "must be a whole number");
        return null;
      }
    }

    /** The value of {@code key} through {@code parse}; a refusal becomes an error naming the key. */
    <T> T parsed(String key, java.util.function.Function<String, T> parse, T placeholder) {
      String s = string(key);
      try {
        return parse.apply(s);
      } catch (IllegalArgumentException e) {
        error(key, s.trim(), e.getMessage());
        return placeholder;
      }
    }

    void error(String key, String value, String reason) {
      errors.add(key + "=" + value + ": " + reason);
    }

    /** Builds a record; a rule it breaks becomes an error (and null). */
    <T> T make(String key, java.util.function.Supplier<T> body) {
      int before = errors.size();
      try {
        return body.get();
      } catch (ConfigException e) {
        // A value already reported stands in as a placeholder: do not report its consequences.
        if (errors.size() == before) {
          errors.add(e.getMessage());
        }
      } catch (RingkvException | IllegalArgumentException e) {
        if (errors.size() == before) {
          errors.add(key + ": " + e.getMessage());
        }
      }
      return null;
    }
  }
}
