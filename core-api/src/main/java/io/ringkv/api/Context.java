package io.ringkv.api;

/**
 * The opaque token a {@code get} returns and a {@code put} or {@code delete} takes back: it says
 * which versions the writer has seen, so the write supersedes exactly those. Clients pass it
 * through unchanged; on the wire it is base64url text. An empty context means "seen nothing": a
 * write with it is concurrent with whatever exists.
 */
public record Context(Bytes token) {
  public static final Context EMPTY = new Context(Bytes.EMPTY);

  public Context {
    if (token == null) {
      throw new IllegalArgumentException("context token must not be null (use Context.EMPTY)");
    }
  }

  /** Parses the wire form; null or blank is the empty context. */
  public static Context parse(String text) {
    if (text == null || text.isBlank()) {
      return EMPTY;
    }
    try {
      return new Context(Bytes.fromBase64(text));
    } catch (IllegalArgumentException e) {
      throw new InvalidContextException("context is not base64url: " + e.getMessage());
    }
  }

  public boolean isEmpty() {
    return token.isEmpty();
  }

  /** The wire form: base64url without padding (empty for the empty context). */
  public String encoded() {
    return token.toBase64Url();
  }

  @Override
  public String toString() {
    return "Context[" + encoded() + "]";
  }
}
