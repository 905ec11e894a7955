package io.ringkv.storage.spi;

import java.util.Map;

/** Makes a named {@link StorageEngine}; the server picks one by {@code storage.engine}. */
public interface StorageEngineFactory {
  /** The name {@code storage.engine} selects it by: lower case, digits and dashes. */
  String name();

  /**
   * Checks the engine-specific options without opening anything, so that a server can report a
   * broken one as a configuration error before it starts. The default takes any options.
   *
   * @throws IllegalArgumentException when an option is unknown or breaks a rule (the message
   *     names the option and the rule)
   */
  default void checkOptions(Map<String, String> options) {
  }

  /**
   * Opens an engine over {@code settings}. A durable engine recovers what its directory holds.
   *
   * @throws IllegalArgumentException when an option is unknown or breaks a rule (the message
   *     names the option and the rule)
   */
  StorageEngine create(StorageSettings settings);

  /**
   * Opens the hint store that goes with this engine (hinted handoff), over {@code settings}
   * (its own folder; the same options as the engine). The default keeps hints in memory, which
   * suits an engine that keeps nothing across a restart either; a durable engine overrides it
   * with a store as durable as itself.
   *
   * @throws IllegalArgumentException when an option is unknown or breaks a rule
   */
  default HintStore openHints(StorageSettings settings) {
    return HintStores.inMemory();
  }
}
