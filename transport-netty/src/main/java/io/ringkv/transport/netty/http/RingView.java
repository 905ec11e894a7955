package io.ringkv.transport.netty.http;

import io.ringkv.ring.Ring;

/**
 * The ring as {@code /cluster/ring} shows it: {@code {"version": 3, "partitions": 64,
 * "nodes": {"n1": 22, ...}, "owners": ["n1", "n2", ...]}} (owners indexed by partition).
 *
 * @param version membership's version of the ring (changes with every ownership change)
 */
public record RingView(long version, Ring ring) {
  public RingView {
    if (ring == null) {
      throw new IllegalArgumentException("a ring view needs a ring");
    }
  }
}
