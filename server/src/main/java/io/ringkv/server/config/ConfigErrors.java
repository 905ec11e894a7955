package io.ringkv.server.config;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.RingkvException;
import java.util.List;

/** Every configuration error found at start-up, reported together as one numbered list. */
public final class ConfigErrors extends RingkvException {
  private static final long serialVersionUID = 1L;
  private final List<String> errors;

  public ConfigErrors(String source, List<String> errors) {
    super(ErrorCode.CONFIG, format(source, errors));
    this.errors = List.copyOf(errors);
  }

  public List<String> errors() {
    return errors;
  }

  private static String format(String source, List<String> errors) {
    StringBuilder sb = new StringBuilder("configuration ").append(source).append(" has ")
        .append(errors.size()).append(errors.size() == 1 ? " error:" : " errors:");
    for (int i = 0; i < errors.size(); i++) {
      sb.append('\n').append(String.format("  %d. %s", i + 1, errors.get(i)));
    }
    return sb.toString();
  }
}
