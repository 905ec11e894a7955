package io.ringkv.cli;

/**
 * A client command's failure: the one-line message printed after {@code ringkv: } and the exit
 * code (see {@link ExitCodes}).
 */
public final class CliFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  public CliFailure(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
