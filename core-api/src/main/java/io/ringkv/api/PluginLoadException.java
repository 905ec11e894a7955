package io.ringkv.api;

/** A plugin that could not be loaded, or a name that no plugin provides. */
public final class PluginLoadException extends RingkvException {
  private static final long serialVersionUID = 1L;

  public PluginLoadException(String message) {
    super(ErrorCode.PLUGIN, message);
  }

  public PluginLoadException(String message, Throwable cause) {
    super(ErrorCode.PLUGIN, message, cause);
  }
}
