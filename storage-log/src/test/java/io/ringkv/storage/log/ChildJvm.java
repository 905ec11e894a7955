package io.ringkv.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A child JVM the crash tests kill: a main of the test classes, run on this JVM's class path with
 * the flags Chronicle needs. Its stdout lines go to {@link #lines()} (a daemon thread reads them,
 * then adds {@link #EOF}); its stderr goes to a file, whose end {@link #stderrTail()} shows.
 */
final class ChildJvm {
  /** The line {@link #lines()} gets after the child's last one. */
  static final String EOF = "\u0000EOF";

  private final Process process;
  private final Path stderr;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private ChildJvm(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
  }

  /**
   * Starts {@code main} with {@code args}, its stderr written to {@code stderr}, its stdout read on
   * a daemon thread named {@code readerName}.
   */
  static ChildJvm start(Class<?> main, Path stderr, String readerName, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(chronicleFlags());
    command.add("-cp");
    command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    command.add(main.getName());
    command.addAll(List.of(args));
    ChildJvm child = new ChildJvm(new ProcessBuilder(command).redirectError(stderr.toFile()).start(), stderr);
    Thread reader = new Thread(child::readLines, readerName);
    reader.setDaemon(true);
    reader.start();
    return child;
  }

  Process process() {
    return process;
  }

  /** The child's stdout, line by line, then {@link #EOF}. */
  BlockingQueue<String> lines() {
    return lines;
  }

  /** The last 2000 characters of the child's stderr so far. */
  String stderrTail() {
    try {
      String text = Files.readString(stderr);
      return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private void readLines() {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lines.add(line);
      }
    } catch (IOException e) {
      lines.add("READ FAILED " + e);
    } finally {
      lines.add(EOF);
    }
  }

  /** The JVM flags Chronicle needs, as this JVM got them from the build (argLine). */
  private static List<String> chronicleFlags() {
    List<String> flags = new ArrayList<>();
    for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (argument.startsWith("--add-opens") || argument.startsWith("--add-exports")
          || argument.startsWith("--enable-native-access") || argument.startsWith("-Dchronicle.")) {
        flags.add(argument);
      }
    }
    assertThat(flags).as("Chronicle's JVM flags on this JVM").anyMatch(f -> f.startsWith("--add-opens"))
        .contains("-Dchronicle.analytics.disable=true");
    flags.add("-Xshare:off");
    flags.add("-XX:TieredStopAtLevel=1");
    return flags;
  }
}
