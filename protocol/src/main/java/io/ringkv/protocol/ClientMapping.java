package io.ringkv.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.Dot;
import io.ringkv.api.GetResult;
import io.ringkv.api.NodeId;
import io.ringkv.api.PutResult;
import io.ringkv.api.QuorumNotReachedException;
import io.ringkv.api.ReplicaReceipt;
import io.ringkv.api.RingkvException;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import io.ringkv.protocol.proto.Clock;
import io.ringkv.protocol.proto.ClockEntry;
import io.ringkv.protocol.proto.ErrorCode;
import io.ringkv.protocol.proto.GetResponse;
import io.ringkv.protocol.proto.PutResponse;
import io.ringkv.protocol.proto.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one place that maps the core-api vocabulary to the binary client protocol's messages and
 * back, for both a node and a client. Decoding validates through the vocabulary's own records, so
 * a peer cannot smuggle in what they refuse: it throws {@link IllegalArgumentException} (or
 * {@link RingkvException}) naming what is wrong.
 */
public final class ClientMapping {
  private ClientMapping() {}

  // ---------------------------------------------------------------- results

  public static GetResponse toProto(GetResult result) {
    GetResponse.Builder b = GetResponse.newBuilder().setContext(wrap(result.context().token()));
    for (Versioned<Bytes> v : result.siblings()) {
      b.addSiblings(toProto(v));
    }
    return b.build();
  }

  public static GetResult fromProto(GetResponse r) {
    List<Versioned<Bytes>> siblings = new ArrayList<>(r.getSiblingsCount());
    for (Version v : r.getSiblingsList()) {
      siblings.add(fromProto(v));
    }
    return new GetResult(siblings, new Context(bytes(r.getContext())));
  }

  public static PutResponse toProto(PutResult result) {
    PutResponse.Builder b = PutResponse.newBuilder().setContext(wrap(result.context().token()));
    for (ReplicaReceipt r : result.replicas()) {
      b.addReplicas(io.ringkv.protocol.proto.ReplicaReceipt.newBuilder()
          .setNode(r.node().value()).setRole(r.role().name().toLowerCase(Locale.ROOT))
          .setIntendedFor(r.intendedFor() == null ? "" : r.intendedFor().value()));
    }
    return b.build();
  }

  public static PutResult fromProto(PutResponse r) {
    List<ReplicaReceipt> receipt = new ArrayList<>(r.getReplicasCount());
    for (io.ringkv.protocol.proto.ReplicaReceipt rr : r.getReplicasList()) {
      ReplicaReceipt.Role role;
      try {
        role = ReplicaReceipt.Role.valueOf(rr.getRole().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("replica receipt role '" + rr.getRole()
            + "' is not one of primary, fallback, hint");
      }
      receipt.add(new ReplicaReceipt(NodeId.of(rr.getNode()), role,
          rr.getIntendedFor().isEmpty() ? null : NodeId.of(rr.getIntendedFor())));
    }
    return new PutResult(new Context(bytes(r.getContext())), receipt);
  }

  // ---------------------------------------------------------------- errors

  /** The error frame of a failure: its code, message and, for a quorum, its counts. */
  public static io.ringkv.protocol.proto.Error toProto(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof java.util.concurrent.CompletionException
        || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    io.ringkv.protocol.proto.Error.Builder b = io.ringkv.protocol.proto.Error.newBuilder();
    if (t instanceof QuorumNotReachedException q) {
      b.setQuorum(q.quorum()).setRequired(q.required()).setAchieved(q.achieved());
    }
    if (t instanceof RingkvException e) {
      return b.setCode(toProto(e.code())).setMessage(String.valueOf(e.getMessage())).build();
    }
    return b.setCode(ErrorCode.INTERNAL).setMessage("internal error: " + t).build();
  }

  /**
   * The same failure as an exception on the client's side, for a request of {@code operation}
   * ({@code get}, {@code put}, {@code delete}, {@code ring}): a quorum not reached becomes a
   * {@link QuorumNotReachedException} with its counts.
   */
  public static RingkvException fromProto(io.ringkv.protocol.proto.Error e, String operation) {
    io.ringkv.api.ErrorCode code = fromProto(e.getCode());
    if (code == io.ringkv.api.ErrorCode.QUORUM_NOT_REACHED && !e.getQuorum().isEmpty()) {
      return new QuorumNotReachedException(operation, e.getQuorum(), e.getRequired(),
          e.getAchieved());
    }
    return new RingkvException(code, e.getMessage());
  }

  public static ErrorCode toProto(io.ringkv.api.ErrorCode code) {
    switch (code) {
      case INVALID_ARGUMENT:
        return ErrorCode.INVALID_ARGUMENT;
      case INVALID_QUORUM:
        return ErrorCode.INVALID_QUORUM;
      case INVALID_CONTEXT:
        return ErrorCode.INVALID_CONTEXT;
      case TOO_LARGE:
        return ErrorCode.TOO_LARGE;
      case STORAGE_FULL:
        return ErrorCode.STORAGE_FULL;
      case QUORUM_NOT_REACHED:
        return ErrorCode.QUORUM_NOT_REACHED;
      case UNAVAILABLE:
        return ErrorCode.UNAVAILABLE;
      case CONFIG:
      case PLUGIN:
      case INTERNAL:
        return ErrorCode.INTERNAL;
      default:
        throw new AssertionError("unmapped error code " + code);
    }
  }

  /** A code this client does not know (from a newer node) reads as INTERNAL. */
  public static io.ringkv.api.ErrorCode fromProto(ErrorCode code) {
    switch (code) {
      case INVALID_ARGUMENT:
      case PROTOCOL:
        return io.ringkv.api.ErrorCode.INVALID_ARGUMENT;
      case INVALID_QUORUM:
        return io.ringkv.api.ErrorCode.INVALID_QUORUM;
      case INVALID_CONTEXT:
        return io.ringkv.api.ErrorCode.INVALID_CONTEXT;
      case TOO_LARGE:
        return io.ringkv.api.ErrorCode.TOO_LARGE;
      case STORAGE_FULL:
        return io.ringkv.api.ErrorCode.STORAGE_FULL;
      case QUORUM_NOT_REACHED:
        return io.ringkv.api.ErrorCode.QUORUM_NOT_REACHED;
      case UNAVAILABLE:
        return io.ringkv.api.ErrorCode.UNAVAILABLE;
      default:
        return io.ringkv.api.ErrorCode.INTERNAL;
    }
  }

  // ---------------------------------------------------------------- vocabulary

  public static Version toProto(Versioned<Bytes> v) {
    return Version.newBuilder().setValue(wrap(v.value())).setDot(toProto(v.dot()))
        .setContext(toProto(v.context())).setTimestamp(v.timestamp()).build();
  }

  public static Versioned<Bytes> fromProto(Version v) {
    if (!v.hasDot()) {
      throw new IllegalArgumentException("a version without a dot");
    }
    return new Versioned<>(bytes(v.getValue()), fromProto(v.getDot()), fromProto(v.getContext()),
        v.getTimestamp(), false);
  }

  static io.ringkv.protocol.proto.Dot toProto(Dot dot) {
    return io.ringkv.protocol.proto.Dot.newBuilder().setActor(toProto(dot.actor()))
        .setCounter(dot.counter()).build();
  }

  static Dot fromProto(io.ringkv.protocol.proto.Dot dot) {
    return new Dot(fromProto(dot.getActor()), dot.getCounter());
  }

  static io.ringkv.protocol.proto.Actor toProto(Actor actor) {
    return io.ringkv.protocol.proto.Actor.newBuilder().setNode(actor.node().value())
        .setEpoch(actor.epoch()).build();
  }

  static Actor fromProto(io.ringkv.protocol.proto.Actor actor) {
    return new Actor(NodeId.of(actor.getNode()), actor.getEpoch());
  }

  static Clock toProto(VectorClock clock) {
    Clock.Builder b = Clock.newBuilder();
    for (Map.Entry<Actor, VectorClock.Entry> e : clock.entries().entrySet()) {
      b.addEntries(ClockEntry.newBuilder().setActor(toProto(e.getKey()))
          .setCounter(e.getValue().counter()).setTimestamp(e.getValue().timestamp()));
    }
    return b.build();
  }

  static VectorClock fromProto(Clock clock) {
    if (clock.getEntriesCount() == 0) {
      return VectorClock.empty();
    }
    TreeMap<Actor, VectorClock.Entry> entries = new TreeMap<>();
    for (ClockEntry e : clock.getEntriesList()) {
      Actor actor = fromProto(e.getActor());
      if (entries.put(actor, new VectorClock.Entry(e.getCounter(), e.getTimestamp())) != null) {
        throw new IllegalArgumentException("clock names actor " + actor + " twice");
      }
    }
    return new VectorClock(entries);
  }

  // ---------------------------------------------------------------- bytes

  /** One copy (Bytes hands out a clone), then wrapped without another. */
  public static ByteString wrap(Bytes b) {
    return b.isEmpty() ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(b.toByteArray());
  }

  public static Bytes bytes(ByteString s) {
    return s.isEmpty() ? Bytes.EMPTY : Bytes.of(s.toByteArray());
  }
}
