package io.ringkv.api.spi;

import io.ringkv.api.ConflictResolver;
import java.util.Map;

/** Makes a named {@link ConflictResolver}; a bucket selects it with {@code bucket.<b>.resolver}. */
public interface ConflictResolverFactory {
  /** The name buckets select it by: lower case, digits and dashes. */
  String name();

  /** One line for {@code ringkv} listings. */
  default String description() {
    return name();
  }

  /**
   * @param settings the bucket's {@code bucket.<b>.resolver.*} settings, prefix removed
   * @param context what the host offers a plugin
   */
  ConflictResolver create(Map<String, String> settings, PluginContext context);
}
