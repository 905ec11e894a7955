package io.ringkv.membership;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import java.util.Comparator;
import java.util.Objects;

/**
 * One node as the cluster gossips it: its id, addresses, and the membership status an admin
 * changes (join, leave). Whether the node is up or down is not here: that is each node's local
 * opinion ({@link Membership#isUp}), never gossiped.
 *
 * <p>Only the node itself changes its entry. {@code incarnation} grows when the node restarts
 * (the server uses its start time in milliseconds, as Cassandra's generation) or re-joins after
 * leaving; {@code heartbeat} grows every gossip interval while the node runs. Of two entries for
 * the same node, {@link #merge} keeps the greater in the order (incarnation, status, readyFor,
 * heartbeat, address), so entries from any gossip path combine to the same result.
 *
 * <p>{@code readyFor} is the version of the pending ring ({@link ClusterState#pendingVersion})
 * for which this node holds every partition it gains: the ring switches to the pending one once
 * every node of it is ready (0: never ready for any).
 */
public record Member(NodeId id, String host, int port, int httpPort, int clientPort,
    long incarnation, Status status, long heartbeat, long readyFor) {

  /** Membership status, in lifecycle order: an entry never moves back within an incarnation. */
  public enum Status {
    /** Started with seeds, not yet in the ring. */
    JOINING,
    /** In the ring. */
    UP,
    /** Leaving: the node is out of (or leaving) the ring; its data is being handed off. */
    LEAVING,
    /** Gone: the handoff is complete. */
    LEFT
  }

  /** The lattice order of entries of one node: the greater supersedes the smaller. */
  static final Comparator<Member> ORDER = Comparator.comparingLong(Member::incarnation)
      .thenComparing(Member::status)
      .thenComparingLong(Member::readyFor)
      .thenComparingLong(Member::heartbeat)
      .thenComparing(Member::host)
      .thenComparingInt(Member::port)
      .thenComparingInt(Member::httpPort)
      .thenComparingInt(Member::clientPort);

  public Member {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(status, "status");
    if (host.isBlank()) {
      throw invalid("member " + id + ": host '" + host + "' is invalid: it must not be blank");
    }
    HostPort.checkPort("member " + id + ": port", port);
    HostPort.checkPort("member " + id + ": http port", httpPort);
    if (clientPort != 0) {
      HostPort.checkPort("member " + id + ": client port", clientPort);
    }
    if (incarnation < 0) {
      throw invalid("member " + id + ": incarnation " + incarnation + " is negative");
    }
    if (heartbeat < 0) {
      throw invalid("member " + id + ": heartbeat " + heartbeat + " is negative");
    }
    if (readyFor < 0) {
      throw invalid("member " + id + ": readyFor " + readyFor + " is negative");
    }
  }

  /** An entry not ready for any pending ring. */
  public Member(NodeId id, String host, int port, int httpPort, int clientPort, long incarnation,
      Status status, long heartbeat) {
    this(id, host, port, httpPort, clientPort, incarnation, status, heartbeat, 0);
  }

  /** An entry without a binary client port (0: none known, as from an older node). */
  public Member(NodeId id, String host, int port, int httpPort, long incarnation, Status status,
      long heartbeat) {
    this(id, host, port, httpPort, 0, incarnation, status, heartbeat);
  }

  /** A fresh entry: status {@link Status#JOINING}, heartbeat 0, no binary client port. */
  public static Member joining(NodeId id, HostPort address, int httpPort, long incarnation) {
    return joining(id, address, httpPort, 0, incarnation);
  }

  /** A fresh entry with the node's binary client port (for partition-aware clients). */
  public static Member joining(NodeId id, HostPort address, int httpPort, int clientPort,
      long incarnation) {
    return new Member(id, address.host(), address.port(), httpPort, clientPort, incarnation,
        Status.JOINING, 0);
  }

  /** The node-to-node address. */
  public HostPort address() {
    return new HostPort(host, port);
  }

  public Member withStatus(Status newStatus) {
    return new Member(id, host, port, httpPort, clientPort, incarnation, newStatus, heartbeat,
        readyFor);
  }

  public Member withIncarnation(long newIncarnation) {
    return new Member(id, host, port, httpPort, clientPort, newIncarnation, status, heartbeat,
        readyFor);
  }

  public Member withHeartbeat(long newHeartbeat) {
    return new Member(id, host, port, httpPort, clientPort, incarnation, status, newHeartbeat,
        readyFor);
  }

  /** This entry ready for the pending ring of {@code version}. */
  public Member withReadyFor(long version) {
    return new Member(id, host, port, httpPort, clientPort, incarnation, status, heartbeat,
        version);
  }

  /**
   * The entry that supersedes the other: higher incarnation, then the later status, then the
   * higher heartbeat (then the address, so the result never depends on the argument order).
   * Commutative, associative and idempotent.
   *
   * @throws RingkvException if the entries are of different nodes
   */
  public Member merge(Member other) {
    Objects.requireNonNull(other, "other");
    if (!id.equals(other.id)) {
      throw invalid("cannot merge the entry of " + id + " with the entry of " + other.id
          + ": only entries of the same node merge");
    }
    return ORDER.compare(this, other) >= 0 ? this : other;
  }

  /** Equal except for the heartbeat: no membership change between the two. */
  boolean sameExceptHeartbeat(Member other) {
    return equals(other.withHeartbeat(heartbeat));
  }

  private static RingkvException invalid(String message) {
    return new RingkvException(ErrorCode.INVALID_ARGUMENT, message);
  }
}
