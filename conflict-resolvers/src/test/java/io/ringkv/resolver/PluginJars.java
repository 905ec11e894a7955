package io.ringkv.resolver;

import io.ringkv.api.spi.RingkvPlugin;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds plugin jars during a test: compiles Java sources against ringkv-core-api alone (as a
 * plugin author would), adds a services file, and jars the result.
 */
final class PluginJars {
  static final String SERVICES = "META-INF/services/" + RingkvPlugin.class.getName();

  private PluginJars() {}

  /** Where core-api's classes come from on this test's class path (a jar or a folder). */
  static Path coreApi() {
    try {
      return Path.of(
          RingkvPlugin.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Compiles {@code sources} (class name → source) against core-api (and {@code classPath})
   * and writes them to {@code jar}.
   *
   * @param services the lines of META-INF/services/io.ringkv.api.spi.RingkvPlugin, or null for
   *     no services file
   */
  static Path build(Path jar, Map<String, String> sources, List<String> services,
      Path... classPath) {
    try {
      Path work = Files.createTempDirectory(jar.toAbsolutePath().getParent(), ".javac");
      Path src = work.resolve("src");
      Path out = work.resolve("classes");
      Files.createDirectories(out);
      List<String> args = new ArrayList<>();
      StringBuilder cp = new StringBuilder(coreApi().toString());
      for (Path p : classPath) {
        cp.append(File.pathSeparator).append(p);
      }
      args.addAll(List.of("--release", "17", "-proc:none", "-classpath", cp.toString(),
          "-d", out.toString()));
      for (Map.Entry<String, String> e : sources.entrySet()) {
        Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, e.getValue());
        args.add(file.toString());
      }
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      ByteArrayOutputStream errors = new ByteArrayOutputStream();
      int rc = javac.run(null, OutputStream.nullOutputStream(), errors, args.toArray(String[]::new));
      if (rc != 0) {
        throw new IllegalStateException("javac failed:\n" + errors.toString(StandardCharsets.UTF_8));
      }
      if (services != null) {
        Path svc = out.resolve(SERVICES);
        Files.createDirectories(svc.getParent());
        Files.writeString(svc, String.join("\n", services) + "\n");
      }
      jar(out, jar);
      deleteTree(work);
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Jars every file under {@code root}, with a manifest. */
  static void jar(Path root, Path jar) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    Files.createDirectories(jar.toAbsolutePath().getParent());
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
        Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new JarEntry(root.relativize(f).toString().replace(File.separatorChar, '/')));
        out.write(Files.readAllBytes(f));
        out.closeEntry();
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /**
   * A plugin class {@code pkg.PluginClass} named {@code pluginName} offering one resolver
   * {@code resolverName} whose Merged value is the string expression {@code valueExpression}.
   */
  static Map<String, String> plugin(String className, String pluginName, String resolverName,
      String valueExpression) {
    int dot = className.lastIndexOf('.');
    String pkg = className.substring(0, dot);
    String simple = className.substring(dot + 1);
    String source = """
        package %s;

        import io.ringkv.api.Bytes;
        import io.ringkv.api.ConflictResolver;
        import io.ringkv.api.Resolution;
        import io.ringkv.api.spi.ConflictResolverFactory;
        import io.ringkv.api.spi.PluginContext;
        import io.ringkv.api.spi.RingkvPlugin;
        import java.util.List;
        import java.util.Map;

        public class %s implements RingkvPlugin {
          @Override public String name() { return "%s"; }

          @Override public List<ConflictResolverFactory> conflictResolverFactories() {
            return List.of(new ConflictResolverFactory() {
              @Override public String name() { return "%s"; }
              @Override public ConflictResolver create(Map<String, String> s, PluginContext c) {
                return siblings -> new Resolution.Merged(Bytes.utf8(value()), 1L, false);
              }
            });
          }

          static String value() {
            return %s;
          }
        }
        """.formatted(pkg, simple, pluginName, resolverName, valueExpression);
    return Map.of(className, source);
  }
}
