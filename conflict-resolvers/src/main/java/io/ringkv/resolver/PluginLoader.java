package io.ringkv.resolver;

import io.ringkv.api.PluginLoadException;
import io.ringkv.api.spi.RingkvPlugin;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds plugins in a node's {@code plugins/} folder. Each {@code *.jar} directly in the folder is
 * one plugin; each sub-folder is one plugin made of every {@code *.jar} directly inside it (a
 * plugin with its libraries). Every plugin gets its own class loader that shares only the
 * {@code io.ringkv.api} packages and the JDK with the host, and its {@link RingkvPlugin}s are
 * found with {@link ServiceLoader} ({@code META-INF/services/io.ringkv.api.spi.RingkvPlugin}).
 * Plugins are loaded in file-name order and stay loaded for the life of the process.
 *
 * <ul>
 *   <li>a missing folder means no plugins;</li>
 *   <li>a jar that cannot be read, or a services file naming a class that is missing, is not a
 *       {@code RingkvPlugin} or cannot be instantiated, fails with a {@link
 *       PluginLoadException} naming the jar and the cause: the operator must act;</li>
 *   <li>a jar (or folder) that declares no {@code RingkvPlugin} is skipped with a warning.</li>
 * </ul>
 */
public final class PluginLoader {
  private static final Logger LOG = LoggerFactory.getLogger(PluginLoader.class);
  private static final String SERVICES_FILE = "META-INF/services/" + RingkvPlugin.class.getName();

  private PluginLoader() {}

  /** Loads every plugin under {@code pluginsDir}, in file-name order. */
  public static List<LoadedPlugin> load(Path pluginsDir) {
    if (pluginsDir == null) {
      throw new IllegalArgumentException("plugins folder must not be null");
    }
    if (!Files.exists(pluginsDir)) {
      LOG.info("No plugins folder at {}: no plugins loaded", pluginsDir);
      return List.of();
    }
    if (!Files.isDirectory(pluginsDir)) {
      throw new PluginLoadException("plugins folder " + pluginsDir + " is not a folder");
    }
    List<LoadedPlugin> loaded = new ArrayList<>();
    for (Path entry : list(pluginsDir)) {
      if (Files.isDirectory(entry)) {
        List<Path> jars = list(entry).stream().filter(PluginLoader::isJar).toList();
        if (jars.isEmpty()) {
          LOG.warn("Plugin folder {} holds no *.jar: skipped", entry);
        } else {
          loaded.addAll(loadOne(entry, jars));
        }
      } else if (isJar(entry)) {
        loaded.addAll(loadOne(entry, List.of(entry)));
      } else {
        LOG.debug("Ignoring {}: not a *.jar or a folder", entry);
      }
    }
    return List.copyOf(loaded);
  }

  private static List<LoadedPlugin> loadOne(Path source, List<Path> jars) {
    List<URL> urls = new ArrayList<>(jars.size());
    for (Path jar : jars) {
      checkReadable(jar);
      urls.add(toUrl(jar));
    }
    PluginClassLoader loader = new PluginClassLoader(
        source.getFileName().toString(), urls, RingkvPlugin.class.getClassLoader());
    List<LoadedPlugin> found = new ArrayList<>();
    try {
      for (RingkvPlugin plugin : ServiceLoader.load(RingkvPlugin.class, loader)) {
        String name = plugin.name();
        found.add(new LoadedPlugin(name, source, plugin));
        LOG.info("Loaded plugin '{}' ({}) from {}", name, plugin.getClass().getName(), source);
      }
    } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
      closeQuietly(loader);
      throw new PluginLoadException("plugin " + source + " cannot be loaded: " + describe(e)
          + " (check " + SERVICES_FILE + " and the classes it names)", e);
    }
    if (found.isEmpty()) {
      LOG.warn("{} declares no {} in {}: skipped", source, RingkvPlugin.class.getName(),
          SERVICES_FILE);
      closeQuietly(loader);
    }
    return found;
  }

  private static void checkReadable(Path jar) {
    if (!Files.isReadable(jar)) {
      throw new PluginLoadException("plugin jar " + jar + " cannot be read: permission denied");
    }
    try (JarFile file = new JarFile(jar.toFile())) {
      file.getManifest(); // forces the central directory to be read
    } catch (IOException | SecurityException e) {
      throw new PluginLoadException("plugin jar " + jar + " cannot be read: " + describe(e), e);
    }
  }

  private static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder(e.toString());
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      sb.append("; caused by ").append(c);
    }
    return sb.toString();
  }

  private static boolean isJar(Path p) {
    return Files.isRegularFile(p) && p.getFileName().toString().endsWith(".jar");
  }

  private static List<Path> list(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    } catch (IOException e) {
      throw new PluginLoadException("plugins folder " + dir + " cannot be listed: " + e, e);
    }
  }

  private static URL toUrl(Path jar) {
    try {
      return jar.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new PluginLoadException("plugin jar " + jar + " has no usable URL: " + e, e);
    }
  }

  private static void closeQuietly(PluginClassLoader loader) {
    try {
      loader.close();
    } catch (IOException e) {
      LOG.debug("Closing {} failed", loader, e);
    }
  }
}
