package com.example;

/**
 * The host's own {@code com.example.Shared}: plugins bundling a class of the same name must see
 * theirs, never this one.
 */
public final class Shared {
  private Shared() {}

  public static String describe() {
    return "host";
  }
}
