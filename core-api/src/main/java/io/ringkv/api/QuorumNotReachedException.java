package io.ringkv.api;

/**
 * Fewer replicas answered within the timeout than the quorum requires: R for a read, W for a
 * write, or PR / PW when the request asked that many of the key's primaries (not fall-backs) to
 * answer. For a write, the new version may still survive on the replicas that took it (and spread
 * from there): the write is not known to have failed, only not known to have succeeded.
 */
public final class QuorumNotReachedException extends RingkvException {
  private static final long serialVersionUID = 1L;
  private final String operation;
  private final String quorum;
  private final int required;
  private final int achieved;

  /** R (for {@code get}) or W (for a write) was not reached. */
  public QuorumNotReachedException(String operation, int required, int achieved) {
    this(operation, operation.equals("get") ? "R" : "W", required, achieved);
  }

  /**
   * @param quorum which count fell short: {@code R}, {@code W}, {@code PR} or {@code PW}
   */
  public QuorumNotReachedException(String operation, String quorum, int required, int achieved) {
    super(ErrorCode.QUORUM_NOT_REACHED, message(operation, quorum, required, achieved));
    this.operation = operation;
    this.quorum = quorum;
    this.required = required;
    this.achieved = achieved;
  }

  private static String message(String operation, String quorum, int required, int achieved) {
    boolean read = operation.equals("get");
    boolean primaries = quorum.startsWith("P");
    String text = "quorum not reached for " + operation + ": " + achieved + " of " + quorum + "="
        + required + (primaries ? " primaries" : " replicas")
        + (read ? " answered" : " acknowledged");
    if (!read && achieved > 0) {
      text += "; the write may still be stored on the replicas that took it";
    }
    return text;
  }

  public String operation() {
    return operation;
  }

  /** {@code R}, {@code W}, {@code PR} or {@code PW}. */
  public String quorum() {
    return quorum;
  }

  public int required() {
    return required;
  }

  public int achieved() {
    return achieved;
  }
}
