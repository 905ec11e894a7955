package io.ringkv.resolver;

import io.ringkv.api.spi.RingkvPlugin;

/**
 * Declared in this test class path's META-INF/services: a plugin's class loader must not find
 * it, since a plugin sees only its own services files.
 */
public final class HostOnlyPlugin implements RingkvPlugin {
  @Override
  public String name() {
    return "host-only";
  }
}
