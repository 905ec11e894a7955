package io.ringkv.ring;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import java.util.ArrayList;
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
    fallbacks = List.copyOf(Objects.requireNonNull(fallbacks, "fallbacks"));
    if (primaries.isEmpty()) {
      throw new RingkvException(ErrorCode.INVALID_ARGUMENT,
          "a preference list needs at least one primary");
    }
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

  private static RingkvException duplicate(NodeId node) {
    return new RingkvException(ErrorCode.INVALID_ARGUMENT, "node '" + node
        + "' appears twice in a preference list: each physical node appears at most once");
  }

  /** Primaries then fall-backs: every node of the ring once, in clockwise order. */
  public List<NodeId> all() {
    List<NodeId> all = new ArrayList<>(primaries.size() + fallbacks.size());
    all.addAll(primaries);
    all.addAll(fallbacks);
    return List.copyOf(all);
  }
}
