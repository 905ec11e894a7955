package io.ringkv.api;

/**
 * Fewer replicas answered within the timeout than the quorum requires. For a write, the new
 * version may still survive on the replicas that took it (and spread from there): the write is
 * not known to have failed, only not known to have succeeded.
 */
public final class QuorumNotReachedException extends RingkvException {
  private static final long serialVersionUID = 1L;
  private final String operation;
  private final int required;
  private final int achieved;

  public QuorumNotReachedException(String operation, int required, int achieved) {
    super(ErrorCode.QUORUM_NOT_REACHED, message(operation, required, achieved));
    this.operation = operation;
    this.required = required;
    this.achieved = achieved;
  }

  private static String message(String operation, int required, int achieved) {
    boolean read = operation.equals("get");
    String what = read ? "R" : "W";
    String text = "quorum not reached for " + operation + ": " + achieved + " of " + what + "="
        + required + (read ? " replicas answered" : " replicas acknowledged");
    if (!read && achieved > 0) {
      text += "; the write may still be stored on the replicas that took it";
    }
    return text;
  }

  public String operation() {
    return operation;
  }

  public int required() {
    return required;
  }

  public int achieved() {
    return achieved;
  }
}
