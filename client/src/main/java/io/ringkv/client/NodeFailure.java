package io.ringkv.client;

import io.ringkv.api.ErrorCode;
import io.ringkv.api.RingkvException;
import java.net.InetSocketAddress;

/**
 * Why a request to one node failed, and whether that node can have acted on it: the client
 * retries a request on another node only when it is safe (a read, or a write that certainly never
 * reached a node), and reports a node it could not reach so that routing skips it for a while.
 */
final class NodeFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What happened, from the client's side. */
  enum Kind {
    /** Not sent: no connection, or it closed first. Safe to send elsewhere; the node is down. */
    NOT_SENT,
    /** Sent, then the connection was lost: the node may have acted. The node is suspect. */
    LOST,
    /** Sent, no answer in time: the node may still act. */
    NO_ANSWER,
    /** The node answered with an error: its answer stands. */
    ANSWERED
  }

  private final Kind kind;
  private final transient InetSocketAddress address;

  private NodeFailure(Kind kind, InetSocketAddress address, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.address = address;
  }

  static NodeFailure notSent(InetSocketAddress address, String why) {
    return new NodeFailure(Kind.NOT_SENT, address, "cannot reach node " + HostPort.format(address)
        + " (" + why + ")", null);
  }

  static NodeFailure lost(InetSocketAddress address, String why) {
    return new NodeFailure(Kind.LOST, address, why, null);
  }

  static NodeFailure noAnswer(InetSocketAddress address, String why) {
    return new NodeFailure(Kind.NO_ANSWER, address, "node " + HostPort.format(address) + " did not answer within " + why, null);
  }

  static NodeFailure answered(InetSocketAddress address, RingkvException error) {
    return new NodeFailure(Kind.ANSWERED, address, error.getMessage(), error);
  }

  Kind kind() {
    return kind;
  }

  InetSocketAddress address() {
    return address;
  }

  /** Whether routing should avoid the node for a while. */
  boolean nodeSuspect() {
    return kind == Kind.NOT_SENT || kind == Kind.LOST;
  }

  /** What the caller of the client sees when no retry is left. */
  RingkvException toException(String operation, boolean write) {
    if (kind == Kind.ANSWERED) {
      return (RingkvException) getCause();
    }
    if (kind == Kind.NOT_SENT) {
      return new UnreachableException(getMessage(), this);
    }
    String outcome = write
        ? " (the " + operation + " may or may not have been stored)" : "";
    return new RingkvException(ErrorCode.UNAVAILABLE, getMessage() + outcome, this);
  }
}
