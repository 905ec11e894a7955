package io.ringkv.testkit.net;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Network partitions of a multi-process cluster, by name, on top of the {@link FaultProxy} in
 * front of each node: "isolate n2", "split {n1, n2} from the rest", "heal". It keeps no state of
 * its own: each call turns into per-source rules on the proxies, so it composes with rules set on
 * a proxy directly.
 *
 * <p>A node reaches another by connecting to the other's proxy from its own source host; cutting
 * the link {@code a -> b} is a rule for {@code a}'s source on {@code b}'s proxy. It cuts the
 * connections {@code a} opens to {@code b} (both directions of them), not those {@code b} opens
 * to {@code a}: {@link #cut} alone gives an asymmetric partition, {@link #isolate} and
 * {@link #split} cut both ways. Cuts add up ({@code isolate("n1"); isolate("n2")} isolates both)
 * until {@link #heal()}. Connections from other sources, such as a test's own client, are
 * untouched, so give clients a source host no node uses.
 *
 * <p>Threading: safe to call from any thread, but a call is not atomic across proxies: while it
 * runs, some links are already cut and others not yet. It neither starts nor closes proxies.
 */
public final class Partition {
  /** How a cut link fails. */
  public enum Mode {
    /** Connections are reset and new ones die at once: peers see errors. */
    BLOCK,
    /** Connections stay open and every byte is dropped: peers see timeouts. */
    BLACKHOLE
  }

  private final Map<String, FaultProxy> proxies;
  private final Map<String, String> sources;

  /**
   * A partitioner for the nodes named in both maps.
   *
   * @param proxies the proxy in front of each node, by node name
   * @param sourceHosts the source host (an IP such as "127.0.0.2") each node connects from;
   *     same names as {@code proxies}, one distinct host per node
   */
  public Partition(Map<String, FaultProxy> proxies, Map<String, String> sourceHosts) {
    Objects.requireNonNull(proxies, "proxies");
    Objects.requireNonNull(sourceHosts, "sourceHosts");
    if (!proxies.keySet().equals(sourceHosts.keySet())) {
      throw new IllegalArgumentException("proxies and source hosts must name the same nodes: proxies "
          + proxies.keySet() + ", source hosts " + sourceHosts.keySet());
    }
    if (new HashSet<>(sourceHosts.values()).size() != sourceHosts.size()) {
      throw new IllegalArgumentException("each node needs its own source host, or its proxies cannot tell "
          + "them apart: " + sourceHosts);
    }
    this.proxies = Map.copyOf(proxies);
    this.sources = new LinkedHashMap<>(sourceHosts);
  }

  /** Cuts {@code node} from every other node, both ways, with {@link Mode#BLOCK}. */
  public void isolate(String node) {
    isolate(node, Mode.BLOCK);
  }

  /** Cuts {@code node} from every other node, both ways: nobody reaches it, it reaches nobody. */
  public void isolate(String node, Mode mode) {
    split(Set.of(node), mode);
  }

  /** Cuts every node of {@code sideA} from every node outside it, both ways, with {@link Mode#BLOCK}. */
  public void split(Set<String> sideA) {
    split(sideA, Mode.BLOCK);
  }

  /**
   * Cuts every node of {@code sideA} from every node outside it, both ways; links within each
   * side are left as they are.
   *
   * @throws IllegalArgumentException if {@code sideA} names an unknown node, or is empty or
   *     every node (a split with one side empty cuts nothing, so it is surely a mistake)
   */
  public void split(Set<String> sideA, Mode mode) {
    Objects.requireNonNull(mode, "mode");
    sideA.forEach(this::requireKnown);
    if (sideA.isEmpty() || sideA.size() == sources.size()) {
      throw new IllegalArgumentException("a split needs nodes on both sides; side A " + sideA + " of "
          + sources.keySet());
    }
    for (String a : sideA) {
      for (String b : sources.keySet()) {
        if (!sideA.contains(b)) {
          cut(a, b, mode);
          cut(b, a, mode);
        }
      }
    }
  }

  /**
   * Cuts the connections {@code from} opens to {@code to}; those {@code to} opens to
   * {@code from} still work.
   */
  public void cut(String from, String to, Mode mode) {
    Objects.requireNonNull(mode, "mode");
    String source = sources.get(requireKnown(from));
    FaultProxy proxy = proxies.get(requireKnown(to));
    if (from.equals(to)) {
      throw new IllegalArgumentException("cannot cut " + from + " from itself");
    }
    switch (mode) {
      case BLOCK -> proxy.block(source);
      case BLACKHOLE -> proxy.blackhole(source);
    }
  }

  /** Removes every rule from every proxy ({@link FaultProxy#healAll()}), set here or not. */
  public void heal() {
    proxies.values().forEach(FaultProxy::healAll);
  }

  private String requireKnown(String node) {
    if (!sources.containsKey(node)) {
      throw new IllegalArgumentException("unknown node '" + node + "'; known: " + sources.keySet());
    }
    return node;
  }
}
