package io.ringkv.server;

import io.ringkv.api.ConfigException;
import io.ringkv.api.RingkvException;
import io.ringkv.resolver.LoadedPlugin;
import io.ringkv.resolver.PluginLoader;
import io.ringkv.resolver.ResolverRegistry;
import io.ringkv.server.config.ConfigErrors;
import io.ringkv.server.config.ConfigLoader;
import io.ringkv.server.config.ServerConfig;
import io.ringkv.server.node.RingkvNode;
import io.ringkv.server.wiring.StorageModule;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ringkv server --config FILE}: runs one node until SIGTERM or Ctrl-C, then stops it
 * cleanly. The whole configuration is checked first: every error is printed as one numbered list
 * and the command exits with code 2 before any socket opens.
 */
@Command(name = "server", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {"Runs one ringkv node.", "",
        "Relative storage.dir and plugins.dir are resolved against $RINGKV_HOME when it is set"
            + " (bin/ringkv sets it), else against the working directory."})
final class ServerCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "configuration file (.properties or .yaml); without it, the defaults"
          + " and RINGKV_* overrides")
  Path config;

  @Override
  public Integer call() {
    ServerConfig checked;
    List<LoadedPlugin> plugins;
    try {
      Map<Path, List<LoadedPlugin>> loaded = new java.util.HashMap<>();
      checked = load(System.getenv(), System.getProperties(), config, loaded);
      plugins = loaded.computeIfAbsent(checked.cluster().plugins().dir(), PluginLoader::load);
    } catch (ConfigErrors e) {
      spec.commandLine().getErr().println("ringkv server: " + e.getMessage());
      return 2;
    } catch (RingkvException e) {
      spec.commandLine().getErr().println("ringkv server: " + e.getMessage());
      return 2;
    }
    RingkvNode node;
    try {
      node = RingkvNode.start(checked, plugins);
    } catch (ConfigException e) {
      // Found while starting (a storage option the engine refuses, a limit it cannot meet): still
      // a configuration error, reported as the loader reports them, before any socket opened.
      spec.commandLine().getErr().println("ringkv server: "
          + new ConfigErrors(config == null ? "(defaults)" : config.toString(), List.of(e.getMessage())).getMessage());
      return 2;
    } catch (RuntimeException e) {
      spec.commandLine().getErr().println("ringkv server: cannot start: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.close();
      stopped.countDown();
    }, "ringkv-shutdown"));
    spec.commandLine().getOut().printf("ringkv node %s up: node-to-node %s, HTTP %s%n",
        node.replica().id(), node.nodeAddress(), node.httpAddress());
    spec.commandLine().getOut().flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** Loads and checks a configuration, resolving relative folders against RINGKV_HOME. */
  static ServerConfig load(Map<String, String> env, Properties system, Path file,
      Map<Path, List<LoadedPlugin>> loaded) {
    Path home = env.get("RINGKV_HOME") != null ? Path.of(env.get("RINGKV_HOME"))
        : Path.of("").toAbsolutePath();
    ConfigLoader loader = new ConfigLoader(env, system, StorageModule.ENGINES,
        dir -> names(loaded.computeIfAbsent(home.resolve(dir), PluginLoader::load)));
    ServerConfig c = loader.load(file);
    return c.withFolders(home);
  }

  private static SortedSet<String> names(List<LoadedPlugin> plugins) {
    return new TreeSet<>(ResolverRegistry.fromLoaded(plugins).names());
  }
}
