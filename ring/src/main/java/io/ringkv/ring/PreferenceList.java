package io.ringkv.ring;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import java.util.AbstractList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The nodes responsible for a partition, in clockwise order from it: the {@code primaries} (the
 * first {@code min(n, S)} distinct physical nodes, which hold the replicas) and then every other
 * node once, the {@code fallbacks} a sloppy quorum uses when primaries are down.
 */
public record PreferenceList(List<NodeId> primaries, List<NodeId> fallbacks) {
  public PreferenceList {
    primaries = List.copyOf(Objects.requireNonNull(primaries, "primaries"));
    Objects.requireNonNull(fallbacks, "fallbacks");
    if (primaries.isEmpty()) {
      throw new RingkvException(ErrorCode.INVALID_ARGUMENT,
          "a preference list needs at least one primary");
    }
    if (!(fallbacks instanceof Fallbacks)) { // the ring's own lazy walk is distinct by building
      fallbacks = List.copyOf(fallbacks);
      Set<NodeId> seen = new HashSet<>();
      for (NodeId node : primaries) {
        if (!seen.add(node)) {
          throw duplicate(node);
        }
      }
      for (NodeId node : fallbacks) {
        if (!seen.add(node)) {
          throw duplicate(node);
        }
      }
    }
  }

  private static RingkvException duplicate(NodeId node) {
    return new RingkvException(ErrorCode.INVALID_ARGUMENT, "node '" + node
        + "' appears twice in a preference list: each physical node appears at most once");
  }

  /**
   * Primaries then fall-backs: every node of the ring once, in clockwise order. An unmodifiable
   * view: reading only its first elements does not walk the whole ring.
   */
  public List<NodeId> all() {
    List<NodeId> p = primaries;
    List<NodeId> f = fallbacks;
    return new AbstractList<>() {
      @Override
      public NodeId get(int index) {
        return index < p.size() ? p.get(index) : f.get(index - p.size());
      }

      @Override
      public int size() {
        return p.size() + f.size();
      }
    };
  }
}
