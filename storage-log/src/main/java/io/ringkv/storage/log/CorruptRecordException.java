package io.ringkv.storage.log;

/** A record failed its checksum or its structure rules; it is skipped, never served. */
final class CorruptRecordException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  CorruptRecordException(String message) {
    super(message);
  }

  private CorruptRecordException(String message, Throwable cause) {
    super(message, cause);
  }

  static CorruptRecordException wrap(String what, RuntimeException cause) {
    return new CorruptRecordException("invalid " + what + ": " + cause.getMessage(), cause);
  }
}
