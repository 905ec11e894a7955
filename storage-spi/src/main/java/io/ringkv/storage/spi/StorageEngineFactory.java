package io.ringkv.storage.spi;

/** Makes a named {@link StorageEngine}; the server picks one by {@code storage.engine}. */
public interface StorageEngineFactory {
  /** The name {@code storage.engine} selects it by: lower case, digits and dashes. */
  String name();

  /**
   * Opens an engine over {@code settings}. A durable engine recovers what its directory holds.
   *
   * @throws IllegalArgumentException when an option is unknown or breaks a rule (the message
   *     names the option and the rule)
   */
  StorageEngine create(StorageSettings settings);
}
