package io.ringkv.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The client is a library: what it pulls into an application (its runtime dependency tree, as
 * Maven resolves it into {@code target/runtime-classpath.txt}) holds no Guice, no Commons
 * Configuration, no server and no coordinator.
 */
class DependencyTreeTest {
  /** A jar ({@code guice-7.0.0.jar}) or, inside the reactor, a module's classes folder. */
  private static String artifact(String entry) {
    Path p = Path.of(entry);
    if (p.getFileName().toString().equals("classes") && p.getParent() != null
        && p.getParent().getParent() != null) {
      return p.getParent().getParent().getFileName().toString(); // <module>/target/classes
    }
    return p.getFileName().toString();
  }

  @Test
  void theRuntimeTreeHasNoServerNoCoordinatorNoGuiceNoConfigurationFramework() throws Exception {
    String text = Files.readString(Path.of("target", "runtime-classpath.txt")).trim();
    List<String> artifacts = Arrays.stream(text.split(Pattern.quote(File.pathSeparator)))
        .filter(s -> !s.isBlank()).map(DependencyTreeTest::artifact).toList();
    assertThat(artifacts).as("the client's runtime classpath")
        .anySatisfy(a -> assertThat(a).contains("netty-transport"))
        .anySatisfy(a -> assertThat(a).matches("(ringkv-)?ring(-.*\\.jar)?"))
        .noneSatisfy(a -> assertThat(a).containsIgnoringCase("guice"))
        .noneSatisfy(a -> assertThat(a).contains("commons-configuration"))
        .noneSatisfy(a -> assertThat(a).matches("(ringkv-)?(server|replication|membership"
            + "|transport-netty|storage-.*|conflict-resolvers|versioning)(-.*\\.jar)?"));
  }
}
