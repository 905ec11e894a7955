package io.ringkv.api;

/** A context token that is not base64url or does not decode as a ringkv context. */
public final class InvalidContextException extends RingkvException {
  private static final long serialVersionUID = 1L;

  public InvalidContextException(String message) {
    super(ErrorCode.INVALID_CONTEXT, message);
  }
}
