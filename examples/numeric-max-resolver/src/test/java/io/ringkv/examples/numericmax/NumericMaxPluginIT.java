package io.ringkv.examples.numericmax;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.ConflictResolver;
import io.ringkv.api.Dot;
import io.ringkv.api.NodeId;
import io.ringkv.api.Resolution;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import io.ringkv.api.spi.PluginContext;
import io.ringkv.resolver.LoadedPlugin;
import io.ringkv.resolver.PluginLoader;
import io.ringkv.resolver.ResolverRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar, installed the way an operator would (copied into {@code plugins/}), loaded
 * through ringkv's own plugin loader and selected by name as a bucket would.
 */
class NumericMaxPluginIT {

  private static Path packagedJar() throws IOException {
    Path target = Path.of(System.getProperty("basedir", ".")).resolve("target");
    try (Stream<Path> files = Files.list(target)) {
      List<Path> jars = files
          .filter(p -> p.getFileName().toString().matches("numeric-max-resolver-.*\\.jar"))
          .filter(p -> !p.getFileName().toString().matches(".*-(sources|javadoc|tests)\\.jar"))
          .toList();
      assertThat(jars).as("the jar built by mvn package in " + target).hasSize(1);
      return jars.get(0);
    }
  }

  @Test
  void theJarInPluginsIsLoadedAndABucketSelectsItsResolverByName(@TempDir Path tmp)
      throws IOException {
    Path plugins = Files.createDirectories(tmp.resolve("plugins"));
    Path installed = Files.copy(packagedJar(), plugins.resolve("numeric-max-resolver.jar"));

    List<LoadedPlugin> loaded = PluginLoader.load(plugins);

    assertThat(loaded).singleElement().satisfies(p -> {
      assertThat(p.name()).isEqualTo("numeric-max-resolver");
      assertThat(p.source()).isEqualTo(installed);
      // its own class loader reads the installed jar, not this build's classes
      assertThat(p.plugin().getClass()).isNotSameAs(NumericMaxPlugin.class);
      assertThat(p.plugin().getClass().getName()).isEqualTo(NumericMaxPlugin.class.getName());
    });
    ResolverRegistry registry = ResolverRegistry.fromLoaded(loaded);
    assertThat(registry.names()).containsExactly("lww", "numeric-max", "set-union", "siblings");

    // bucket.scores.resolver=numeric-max
    ConflictResolver resolver = registry.create("numeric-max", Map.of(),
        PluginContext.of(NodeId.of("n1"), Clock.systemUTC()));
    Versioned<Bytes> a = Versioned.of(Bytes.utf8("9"),
        new Dot(new Actor(NodeId.of("n1"), 0), 1), VectorClock.empty(), 10);
    Versioned<Bytes> b = Versioned.of(Bytes.utf8("10"),
        new Dot(new Actor(NodeId.of("n2"), 0), 1), VectorClock.empty(), 20);

    assertThat(resolver.resolve(List.of(a, b)))
        .isEqualTo(new Resolution.Merged(Bytes.utf8("10"), 20, false));
  }
}
