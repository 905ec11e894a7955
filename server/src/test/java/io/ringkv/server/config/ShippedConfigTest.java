package io.ringkv.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The shipped conf/ringkv.properties documents every key with its real default, and loads. */
class ShippedConfigTest {
  private static final Path SHIPPED = Path.of("..", "distribution", "src", "main", "conf",
      "ringkv.properties");

  private static Map<String, String> documented() throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : Files.readAllLines(SHIPPED)) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      int eq = l.indexOf('=');
      m.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
    }
    return m;
  }

  @Test
  void everyKeyIsDocumentedWithItsDefault() throws IOException {
    Map<String, String> doc = documented();
    assertThat(doc.keySet()).containsExactlyInAnyOrderElementsOf(ConfigKeys.DEFAULTS.keySet());
    ConfigKeys.DEFAULTS.forEach((key, def) ->
        assertThat(doc.get(key)).as("documented default of %s", key).isEqualTo(def));
  }

  @Test
  void theShippedFileLoadsToTheDefaults() {
    ServerConfig fromFile = new ConfigLoader(Map.of(), new Properties(), Set.of("log", "memory"),
        p -> new TreeSet<>(Set.of("siblings", "lww", "set-union"))).load(SHIPPED);
    ServerConfig defaults = new ConfigLoader(Map.of(), new Properties(), Set.of("log", "memory"),
        p -> new TreeSet<>(Set.of("siblings", "lww", "set-union"))).load(null);
    assertThat(fromFile).isEqualTo(defaults);
  }
}
