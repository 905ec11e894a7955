package io.ringkv.api;

/** The one exception type ringkv throws; {@link #code()} says what kind of failure it is. */
public class RingkvException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;

  public RingkvException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public RingkvException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
