package io.ringkv.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream savedOut;
  private PrintStream savedErr;

  @BeforeEach
  void capture() {
    savedOut = System.out;
    savedErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(savedOut);
    System.setErr(savedErr);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void demoWalksThroughSiblingsResolutionLwwAndANodeDown() {
    int exit = Main.commandLine().execute("demo");
    assertThat(exit).as("exit code; stderr: %s", err()).isZero();
    String text = out();
    assertThat(text)
        .contains("ringkv demo: 3 nodes in one JVM (n1, n2, n3)")
        .contains("defaults N=3 R=2 W=2, timeout 2000 ms, resolver siblings")
        .contains("== 2. two concurrent puts from the same context -> siblings ==")
        .containsPattern("get users/alice via n\\d -> 2 siblings \\[\"Alice (Smith|Jones)\" \\| "
            + "\"Alice (Smith|Jones)\"\\], context [A-Za-z0-9_-]{6}\\.\\.[A-Za-z0-9_-]{6} \\{n\\d:\\d")
        .contains("resolved: one value left")
        .containsPattern("get users/alice via n\\d -> \"Alice Smith-Jones\"")
        .contains("lww winner \"token-B\", written back: the replicas now hold 1 version")
        .contains("carts merged into one: \"apple, bread, eggs, milk\"")
        .containsPattern("node n\\d is down")
        .containsPattern("write still succeeds: W=2 reached without n\\d")
        .containsPattern("read still succeeds: R=2 reached without n\\d")
        .containsPattern("n\\d holds \\(before\\): \"v1\"")
        .containsPattern("n\\d holds \\(after\\): \"v2\"")
        .contains("== done: every step behaved as described ==");
  }

  @Test
  void demoRunsTheNumericMaxPartWhenThePluginIsInTheFolder(@TempDir Path tmp) throws IOException {
    Path plugins = TestPlugins.withNumericMax(tmp.resolve("plugins"));
    int exit = Main.commandLine().execute("demo", "--plugins", plugins.toString());
    assertThat(exit).as("exit code; stderr: %s", err()).isZero();
    assertThat(out())
        .contains("(numeric-max-resolver)")
        .contains("resolvers: lww, numeric-max, set-union, siblings")
        .contains("scores (numeric-max)")
        .contains("numeric-max kept \"120\" although \"95\" was written later");
    assertThat(err()).isEmpty();
  }

  @Test
  void demoSkipsTheNumericMaxPartWithoutThePlugin(@TempDir Path tmp) {
    int exit = Main.commandLine().execute("demo", "--plugins", tmp.resolve("none").toString());
    assertThat(exit).isZero();
    assertThat(out()).contains("resolvers: lww, set-union, siblings")
        .contains("== 6. plugin numeric-max: skipped (no plugin offering it in ");
  }

  @Test
  void aFailingDemoExitsNonZeroWithOneLine(@TempDir Path tmp) throws IOException {
    Path notAFolder = Files.writeString(tmp.resolve("plugins"), "x");
    int exit = Main.commandLine().execute("demo", "--plugins", notAFolder.toString());
    assertThat(exit).isEqualTo(1);
    assertThat(err()).isEqualTo("ringkv demo: plugins folder " + notAFolder + " is not a folder"
        + System.lineSeparator());
  }

  @Test
  void versionAndHelp() {
    assertThat(Main.commandLine().execute("--version")).isZero();
    assertThat(out()).containsPattern("ringkv \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R").doesNotContain("${");
    assertThat(Main.commandLine().execute("--help")).isZero();
    assertThat(out()).contains("Usage: ringkv").contains("demo");
    assertThat(Main.commandLine().execute("demo", "--help")).isZero();
    assertThat(out()).contains("Usage: ringkv demo").contains("--plugins=DIR");
  }

  @Test
  void withoutACommandItIsAUsageError() {
    assertThat(Main.commandLine().execute()).isEqualTo(2);
    assertThat(err()).contains("a command is required, e.g. 'ringkv demo'");
  }
}
