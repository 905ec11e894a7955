package io.ringkv.client;

/** How a {@link RingkvClient} picks the node it sends a request to. */
public enum Routing {
  /**
   * Each request to the next seed in turn (round-robin), as a load balancer would; the node that
   * takes it forwards it to the key's coordinator when it is not that node itself.
   */
  ANY_NODE,
  /**
   * Each request straight to its key's coordinator: the client fetches the ring from a seed,
   * computes the key's preference list with the {@code ring} module, and sends the request to the
   * first node of the list that is up, falling back down the list when that node cannot be
   * reached. The ring is fetched again when a node answers with a newer ring version.
   */
  PARTITION_AWARE
}
