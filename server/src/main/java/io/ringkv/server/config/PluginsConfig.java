package io.ringkv.server.config;

import io.ringkv.api.ConfigException;
import java.nio.file.Path;

/**
 * Where plugins are read from ({@code plugins.dir}): by default {@code plugins/} in the
 * installation, i.e. {@code $RINGKV_HOME/plugins} when {@code RINGKV_HOME} is set (the launcher
 * sets it), else {@code ./plugins}. A missing folder means no plugins.
 */
public record PluginsConfig(Path dir) {
  /** The environment variable naming the installation folder. */
  public static final String HOME_VARIABLE = "RINGKV_HOME";

  public PluginsConfig {
    if (dir == null) {
      throw new ConfigException("plugins.dir", null, "must name a folder");
    }
  }

  /** The default folder for this process's environment. */
  public static PluginsConfig defaults() {
    return forHome(System.getenv(HOME_VARIABLE));
  }

  /** The default folder for an installation at {@code home} (null or blank: the working folder). */
  public static PluginsConfig forHome(String home) {
    return new PluginsConfig(home == null || home.isBlank()
        ? Path.of("plugins") : Path.of(home, "plugins"));
  }
}
