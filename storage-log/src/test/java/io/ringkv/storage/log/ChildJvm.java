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
import java.util.concurrent.TimeUnit;

/**
 * A child JVM the crash tests kill: a main of the test classes, run on this JVM's class path with
 * the flags Chronicle needs. Its stdout lines go to {@link #lines()} (a daemon thread reads them,
 * then adds {@link #EOF}, or a line starting with {@link #READ_FAILED} first if reading failed);
 * its stderr goes to a file, whose end {@link #stderrTail()} shows.
 *
 * <p>Kill it with {@link #kill()}, never {@link Process#destroyForcibly()}: the latter also closes
 * this JVM's end of the child's stdout (the JDK's {@code ProcessImpl.destroy} closes the streams
 * right after the signal), so every line the child wrote that the reader had not read yet is
 * thrown away and the reader gets "Stream closed". On a loaded machine the reader lags the child
 * by hundreds of lines, and a crash test that loses the child's last lines loses exactly the
 * releases (or writes) it made last.
 */
final class ChildJvm {
  /** The line {@link #lines()} gets after the child's last one. */
  static final String EOF = "\u0000EOF";
  /** How a line of {@link #lines()} starts when the child's stdout could not be read to its end. */
  static final String READ_FAILED = "READ FAILED ";

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
    ChildJvm child = new ChildJvm(launch(main, stderr, args), stderr);
    Thread reader = new Thread(child::readLines, readerName);
    reader.setDaemon(true);
    reader.start();
    return child;
  }

  /** Starts {@code main} with {@code args}, its stderr written to {@code stderr}, its stdout left to the caller. */
  static Process launch(Class<?> main, Path stderr, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(chronicleFlags());
    command.add("-cp");
    command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    command.add(main.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(stderr.toFile()).start();
  }

  /**
   * Kills {@code process} with SIGKILL and waits for it to die, leaving its stdout open: whatever it
   * wrote before it died can still be read, to the end of the stream.
   */
  static void kill(Process process) throws InterruptedException {
    process.toHandle().destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the child died").isTrue();
  }

  /** {@link #kill(Process)} of this child: {@link #lines()} still gets every line it wrote, then {@link #EOF}. */
  void kill() throws InterruptedException {
    kill(process);
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
      lines.add(READ_FAILED + e);
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
