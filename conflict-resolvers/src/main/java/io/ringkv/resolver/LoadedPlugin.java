package io.ringkv.resolver;

import io.ringkv.api.spi.RingkvPlugin;
import java.nio.file.Path;

/**
 * A plugin found in the plugins folder.
 *
 * @param name the plugin's {@link RingkvPlugin#name()}
 * @param source the jar, or the folder of jars, it was loaded from
 * @param plugin the instance, loaded through the source's own class loader
 */
public record LoadedPlugin(String name, Path source, RingkvPlugin plugin) {
  public LoadedPlugin {
    if (name == null || name.isBlank() || source == null || plugin == null) {
      throw new IllegalArgumentException(
          "a loaded plugin needs a name, a source and an instance; got name '" + name
              + "' from " + source);
    }
  }

  @Override
  public String toString() {
    return "plugin '" + name + "' (" + source + ")";
  }
}
