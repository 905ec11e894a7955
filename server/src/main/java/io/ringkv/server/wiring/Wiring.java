package io.ringkv.server.wiring;

import com.google.inject.ConfigurationException;
import com.google.inject.CreationException;
import com.google.inject.ProvisionException;
import com.google.inject.spi.Message;
import io.ringkv.api.RingkvException;
import java.util.Collection;

/**
 * Guice reports a failure inside a module or a provider wrapped in its own exception with a long
 * report; start-up wants the ringkv error itself, whose message names the bad value and the rule.
 */
public final class Wiring {
  private Wiring() {}

  /**
   * The first {@link RingkvException} (else {@link IllegalArgumentException}) behind a Guice
   * failure, or {@code e} itself when there is none.
   */
  public static RuntimeException unwrap(RuntimeException e) {
    Collection<Message> messages;
    if (e instanceof CreationException c) {
      messages = c.getErrorMessages();
    } else if (e instanceof ProvisionException p) {
      messages = p.getErrorMessages();
    } else if (e instanceof ConfigurationException c) {
      messages = c.getErrorMessages();
    } else {
      return e;
    }
    RuntimeException fallback = null;
    for (Message m : messages) {
      for (Throwable t = m.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
        if (t instanceof RingkvException r) {
          return r;
        }
        if (fallback == null && t instanceof IllegalArgumentException i) {
          fallback = i;
        }
      }
    }
    return fallback != null ? fallback : e;
  }
}
