package io.ringkv.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash tests' child JVM: a kill must leave every line the child wrote before it died to be
 * read. {@link Process#destroyForcibly()} does not (it closes this JVM's end of the child's stdout,
 * so what was not read yet is gone), which made {@link HintStoreCrashIT} miss the child's last
 * releases and report the hints they dropped as lost.
 */
class ChildJvmTest {
  private static final int LINES = 400;

  @TempDir
  Path directory;

  @Test
  void aKilledChildsUnreadOutputCanStillBeReadToItsEnd() throws Exception {
    Path written = directory.resolve("written");
    Process child = ChildJvm.launch(Writer.class, directory.resolve("child.err"), written.toString(),
        Integer.toString(LINES));
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(written));
      // Not a byte of the child's stdout has been read: all of it waits in the pipe, as the lines
      // of a child the test's reader lags behind do.
      ChildJvm.kill(child);
      List<String> lines;
      try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
          StandardCharsets.UTF_8))) {
        lines = in.lines().toList();
      }
      assertThat(lines).hasSize(LINES).startsWith("line 1").endsWith("line " + LINES);
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void theLinesOfAKilledChildEndWithEofAfterItsLastLine() throws Exception {
    Path written = directory.resolve("written");
    ChildJvm jvm = ChildJvm.start(Writer.class, directory.resolve("child.err"), "child-jvm-test-stdout",
        written.toString(), Integer.toString(LINES));
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(written));
      jvm.kill();
      BlockingQueue<String> queue = jvm.lines();
      List<String> lines = new ArrayList<>();
      for (String line = queue.poll(30, TimeUnit.SECONDS); !ChildJvm.EOF.equals(line);
          line = queue.poll(30, TimeUnit.SECONDS)) {
        assertThat(line).as("the child's output ends").isNotNull();
        lines.add(line);
      }
      assertThat(lines).hasSize(LINES).noneMatch(l -> l.startsWith(ChildJvm.READ_FAILED)).endsWith("line " + LINES);
    } finally {
      jvm.process().destroyForcibly();
    }
  }

  /** The child: prints {@code count} lines, then creates the file {@code written}, then waits to be killed. */
  public static final class Writer {
    private Writer() {
    }

    public static void main(String[] args) throws Exception {
      PrintStream out = System.out;
      for (int i = 1; i <= Integer.parseInt(args[1]); i++) {
        out.println("line " + i);
      }
      out.flush();
      Files.createFile(Path.of(args[0]));
      new CountDownLatch(1).await();
    }
  }
}
