package io.ringkv.cli;


import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs {@code ringkv ARGS} through the launcher in this JVM with captured stdin, stdout, stderr. */
public final class Cli {
  /** What a run did. */
  public record Run(int exit, byte[] outBytes, String err) {
    public String out() {
      return new String(outBytes, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out() + "\n--- stderr\n" + err;
    }
  }

  private Cli() {
  }

  public static Run run(String... args) {
    return runWithInput(new byte[0], args);
  }

  public static Run runWithInput(byte[] stdin, String... args) {
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    InputStream savedIn = System.in;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      System.setIn(new ByteArrayInputStream(stdin));
      int exit = RingkvCli.commandLine().execute(args);
      System.out.flush();
      System.err.flush();
      return new Run(exit, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
      System.setIn(savedIn);
    }
  }

  /** A loopback port nobody listens on (bound, then released). */
  public static int closedPort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
