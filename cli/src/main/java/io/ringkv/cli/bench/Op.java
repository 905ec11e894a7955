package io.ringkv.cli.bench;

import java.util.Locale;

/** The HTTP operations a bench run measures, each with its own latency histogram. */
enum Op {
  GET, PUT;

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
