package io.ringkv.api;

/** A configuration value that breaks a rule; names the key, the value and the rule. */
public final class ConfigException extends RingkvException {
  private static final long serialVersionUID = 1L;
  private final String key;
  private final String value;
  private final String reason;

  public ConfigException(String key, String value, String reason) {
    super(ErrorCode.CONFIG, key + (value == null ? "" : "=" + value) + ": " + reason);
    this.key = key;
    this.value = value;
    this.reason = reason;
  }

  public String key() {
    return key;
  }

  public String value() {
    return value;
  }

  public String reason() {
    return reason;
  }
}
