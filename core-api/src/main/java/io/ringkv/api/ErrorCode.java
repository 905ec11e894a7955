package io.ringkv.api;

/** What went wrong, in terms a caller can act on. Network layers map these to status codes. */
public enum ErrorCode {
  /** A malformed request: bad bucket or key, bad parameter. The caller must fix it. */
  INVALID_ARGUMENT,
  /** (n, r, w) break the quorum rule. */
  INVALID_QUORUM,
  /** A context token that is not one ringkv issued. */
  INVALID_CONTEXT,
  /** A key or value over the configured limit. */
  TOO_LARGE,
  /** The node's storage has no space left for the write; nothing was stored. */
  STORAGE_FULL,
  /** Fewer replicas answered than the quorum needs. */
  QUORUM_NOT_REACHED,
  /** No node able to serve the request could be reached. */
  UNAVAILABLE,
  /** A configuration value breaks a rule. */
  CONFIG,
  /** A plugin could not be loaded or named something unknown. */
  PLUGIN,
  /** A bug or an unexpected failure inside ringkv. */
  INTERNAL
}
