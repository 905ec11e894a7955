package io.ringkv.resolver;

import static io.ringkv.resolver.PluginJars.plugin;
import static io.ringkv.resolver.V.dot;
import static io.ringkv.resolver.V.live;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.ConflictResolver;
import io.ringkv.api.NodeId;
import io.ringkv.api.PluginLoadException;
import io.ringkv.api.Resolution;
import io.ringkv.api.spi.PluginContext;
import io.ringkv.api.spi.RingkvPlugin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginLoaderTest {
  private static final PluginContext CTX = PluginContext.of(NodeId.of("n1"), Clock.systemUTC());
  private static final String SEES_HOST = """
      (com.example.Shared.describe() + ";" + (hostVisible() ? "host-visible" : "host-hidden"))
      """;

  @TempDir
  Path tmp;

  private Path plugins() throws IOException {
    return Files.createDirectories(tmp.resolve("plugins"));
  }

  private static Map<String, String> shared(String describe) {
    return Map.of("com.example.Shared", """
        package com.example;
        public final class Shared {
          public static String describe() { return "%s"; }
        }
        """.formatted(describe));
  }

  /** A plugin whose resolver answers with Shared.describe() and whether host classes show. */
  private static Map<String, String> sharedUser(String className, String name, String resolver) {
    Map<String, String> sources = new HashMap<>(plugin(className, name, resolver, SEES_HOST));
    String src = sources.get(className);
    sources.put(className, src.substring(0, src.lastIndexOf('}')) + """
          static boolean hostVisible() {
            try {
              Class.forName("io.ringkv.resolver.PluginLoader", false,
                  %s.class.getClassLoader());
              return true;
            } catch (ClassNotFoundException e) {
              return false;
            }
          }
        }
        """.formatted(className.substring(className.lastIndexOf('.') + 1)));
    return sources;
  }

  private static String resolveToString(ConflictResolver resolver) {
    Resolution r = resolver.resolve(List.of(live("x", dot("n1", 1), 1), live("y", dot("n2", 1), 2)));
    return ((Resolution.Merged) r).value().toUtf8();
  }

  @Test
  void aMissingFolderMeansNoPlugins() {
    assertThat(PluginLoader.load(tmp.resolve("absent"))).isEmpty();
  }

  @Test
  void loadsAPluginJarAndABucketFindsItsResolverByName() throws IOException {
    Path jar = PluginJars.build(plugins().resolve("max.jar"),
        plugin("org.acme.AcmePlugin", "acme", "acme-const", "\"acme!\""),
        List.of("org.acme.AcmePlugin"));

    List<LoadedPlugin> loaded = PluginLoader.load(plugins());

    assertThat(loaded).singleElement().satisfies(p -> {
      assertThat(p.name()).isEqualTo("acme");
      assertThat(p.source()).isEqualTo(jar);
      assertThat(p.plugin()).isInstanceOf(RingkvPlugin.class);
      assertThat(p.plugin().getClass().getClassLoader()).isInstanceOf(PluginClassLoader.class);
    });
    ResolverRegistry registry = ResolverRegistry.fromLoaded(loaded);
    assertThat(registry.names()).containsExactly("acme-const", "lww", "set-union", "siblings");
    assertThat(registry.source("acme-const")).contains("acme").contains(jar.toString());
    // what the server does for bucket.carts.resolver=acme-const
    ConflictResolver resolver = registry.create("acme-const", Map.of(), CTX);
    assertThat(resolveToString(resolver)).isEqualTo("acme!");
  }

  @Test
  void twoPluginsBundlingDifferentVersionsOfOneClassEachSeeTheirOwn() throws IOException {
    Map<String, String> first = new HashMap<>(shared("shared v1"));
    first.putAll(sharedUser("org.one.OnePlugin", "one", "one"));
    PluginJars.build(plugins().resolve("one.jar"), first, List.of("org.one.OnePlugin"));
    // The second plugin is a folder: its code in one jar, its copy of Shared in a library jar.
    Path two = Files.createDirectories(plugins().resolve("two"));
    Path lib = PluginJars.build(two.resolve("shared-lib-2.0.jar"), shared("shared v2"), null);
    PluginJars.build(two.resolve("two-plugin.jar"), sharedUser("org.two.TwoPlugin", "two", "two"),
        List.of("org.two.TwoPlugin"), lib);

    ResolverRegistry registry = ResolverRegistry.fromLoaded(PluginLoader.load(plugins()));

    assertThat(resolveToString(registry.create("one", Map.of(), CTX)))
        .isEqualTo("shared v1;host-hidden");
    assertThat(resolveToString(registry.create("two", Map.of(), CTX)))
        .isEqualTo("shared v2;host-hidden");
    assertThat(com.example.Shared.describe()).isEqualTo("host");
  }

  @Test
  void aPluginSeesOnlyItsOwnServicesFilesNotTheHosts() throws IOException {
    // This test class path declares HostOnlyPlugin in META-INF/services.
    PluginJars.build(plugins().resolve("a.jar"), plugin("org.a.APlugin", "a", "a", "\"a\""),
        List.of("org.a.APlugin"));

    assertThat(PluginLoader.load(plugins())).extracting(LoadedPlugin::name).containsExactly("a");
  }

  @Test
  void aServicesFileNamingAMissingClassIsAClearError() throws IOException {
    Path jar = PluginJars.build(plugins().resolve("broken.jar"),
        plugin("org.b.BPlugin", "b", "b", "\"b\""), List.of("org.b.Misspelled"));

    assertThatThrownBy(() -> PluginLoader.load(plugins()))
        .isInstanceOf(PluginLoadException.class)
        .hasMessageContaining(jar.toString())
        .hasMessageContaining("org.b.Misspelled")
        .hasMessageContaining(PluginJars.SERVICES);
  }

  @Test
  void aServicesFileNamingANonPluginClassIsAClearError() throws IOException {
    Path jar = PluginJars.build(plugins().resolve("wrong.jar"),
        Map.of("org.c.NotAPlugin", "package org.c; public class NotAPlugin {}"),
        List.of("org.c.NotAPlugin"));

    assertThatThrownBy(() -> PluginLoader.load(plugins()))
        .isInstanceOf(PluginLoadException.class)
        .hasMessageContaining(jar.toString())
        .hasMessageContaining("org.c.NotAPlugin");
  }

  @Test
  void anUnreadableJarIsAClearError() throws IOException {
    Path jar = Files.writeString(plugins().resolve("garbage.jar"), "this is not a zip file");

    assertThatThrownBy(() -> PluginLoader.load(plugins()))
        .isInstanceOf(PluginLoadException.class)
        .hasMessageContaining(jar.toString())
        .hasMessageContaining("cannot be read")
        .hasCauseInstanceOf(IOException.class);
  }

  @Test
  void aJarWithoutAPluginIsSkippedAndOthersStillLoad() throws IOException {
    PluginJars.build(plugins().resolve("a-library.jar"),
        Map.of("org.lib.Util", "package org.lib; public class Util {}"), null);
    PluginJars.build(plugins().resolve("b-plugin.jar"),
        plugin("org.b.BPlugin", "b", "b-const", "\"b\""), List.of("org.b.BPlugin"));
    Files.createDirectories(plugins().resolve("empty-folder"));
    Files.writeString(plugins().resolve("README.txt"), "not a jar");

    assertThat(PluginLoader.load(plugins())).extracting(LoadedPlugin::name).containsExactly("b");
  }

  @Test
  void anUnknownResolverNameListsTheKnownOnes() throws IOException {
    PluginJars.build(plugins().resolve("acme.jar"),
        plugin("org.acme.AcmePlugin", "acme", "acme-const", "\"acme\""),
        List.of("org.acme.AcmePlugin"));
    ResolverRegistry registry = ResolverRegistry.fromLoaded(PluginLoader.load(plugins()));

    assertThatThrownBy(() -> registry.create("acme-cnst", Map.of(), CTX))
        .isInstanceOf(PluginLoadException.class)
        .hasMessage("unknown resolver 'acme-cnst'; known: acme-const, lww, set-union, siblings");
  }

  @Test
  void twoPluginsOfferingOneNameAreRefusedNamingBothJars() throws IOException {
    Path first = PluginJars.build(plugins().resolve("first.jar"),
        plugin("org.f.FirstPlugin", "first", "dup", "\"1\""), List.of("org.f.FirstPlugin"));
    Path second = PluginJars.build(plugins().resolve("second.jar"),
        plugin("org.s.SecondPlugin", "second", "dup", "\"2\""), List.of("org.s.SecondPlugin"));
    List<LoadedPlugin> loaded = PluginLoader.load(plugins());

    assertThatThrownBy(() -> ResolverRegistry.fromLoaded(loaded))
        .isInstanceOf(PluginLoadException.class)
        .hasMessageContaining("'dup'")
        .hasMessageContaining(first.toString())
        .hasMessageContaining(second.toString());
  }

  @Test
  void aPluginCannotTakeOverABuiltInName() throws IOException {
    Path jar = PluginJars.build(plugins().resolve("evil.jar"),
        plugin("org.e.EvilPlugin", "evil", "lww", "\"e\""), List.of("org.e.EvilPlugin"));
    List<LoadedPlugin> loaded = PluginLoader.load(plugins());

    assertThatThrownBy(() -> ResolverRegistry.fromLoaded(loaded))
        .isInstanceOf(PluginLoadException.class)
        .hasMessageContaining("'lww'")
        .hasMessageContaining("built-in")
        .hasMessageContaining(jar.toString());
  }

  @Test
  void aPluginsFileInsteadOfAFolderIsAnError() throws IOException {
    Path notAFolder = Files.writeString(tmp.resolve("plugins"), "oops");

    assertThatThrownBy(() -> PluginLoader.load(notAFolder))
        .isInstanceOf(PluginLoadException.class)
        .hasMessageContaining(notAFolder.toString())
        .hasMessageContaining("not a folder");
  }
}
