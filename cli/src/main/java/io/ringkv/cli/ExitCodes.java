package io.ringkv.cli;

/** The exit codes of the client commands ({@code get}, {@code put}, ..., {@code bench}). */
public final class ExitCodes {
  /** Done. */
  public static final int OK = 0;
  /** The node refused the request (4xx, or another status that is not 503), or the key is absent. */
  public static final int FAILED = 1;
  /** A usage error (picocli's default). */
  public static final int USAGE = 2;
  /** The node answered 503 (quorum not reached, unavailable) or did not answer in time. */
  public static final int UNAVAILABLE = 3;
  /** The node could not be reached (connection refused, unknown host, connect timeout). */
  public static final int UNREACHABLE = 4;

  private ExitCodes() {
  }
}
