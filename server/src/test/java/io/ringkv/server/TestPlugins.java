package io.ringkv.server;

import io.ringkv.examples.numericmax.NumericMaxPlugin;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A plugins folder holding the example numeric-max plugin, as the distribution ships it: the
 * plugin's jar from the test class path, or, when the build gives its classes folder instead
 * (a reactor build that has not packaged it), a jar made of that folder.
 */
public final class TestPlugins {
  private TestPlugins() {}

  /** Creates {@code dir} holding the numeric-max plugin jar; returns {@code dir}. */
  public static Path withNumericMax(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path source;
    try {
      source = Path.of(NumericMaxPlugin.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    Path jar = dir.resolve("numeric-max-resolver.jar");
    if (Files.isDirectory(source)) {
      jarUp(source, jar);
    } else {
      Files.copy(source, jar);
    }
    return dir;
  }

  private static void jarUp(Path classes, Path jar) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(classes)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os)) {
      for (Path f : files) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        out.write(Files.readAllBytes(f));
        out.closeEntry();
      }
    }
  }
}
