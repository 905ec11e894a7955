package io.ringkv.transport.netty.peer;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.Dot;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.GetResult;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.PutResult;
import io.ringkv.api.ReplicaReceipt;
import io.ringkv.api.RequestOptions;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import io.ringkv.replication.api.ReplicaRequest;
import io.ringkv.replication.api.ReplicaResponse;
import io.ringkv.transport.netty.internal.proto.Clock;
import io.ringkv.transport.netty.internal.proto.ClockEntry;
import io.ringkv.transport.netty.internal.proto.CoordinateGet;
import io.ringkv.transport.netty.internal.proto.CoordinatePut;
import io.ringkv.transport.netty.internal.proto.Envelope;
import io.ringkv.transport.netty.internal.proto.Failed;
import io.ringkv.transport.netty.internal.proto.Fetch;
import io.ringkv.transport.netty.internal.proto.FetchHints;
import io.ringkv.transport.netty.internal.proto.FetchTokens;
import io.ringkv.transport.netty.internal.proto.Fetched;
import io.ringkv.transport.netty.internal.proto.FindHints;
import io.ringkv.transport.netty.internal.proto.GetDone;
import io.ringkv.transport.netty.internal.proto.Gossip;
import io.ringkv.transport.netty.internal.proto.HintsFetched;
import io.ringkv.transport.netty.internal.proto.KeyVersions;
import io.ringkv.transport.netty.internal.proto.KeysFetched;
import io.ringkv.transport.netty.internal.proto.KeysHinted;
import io.ringkv.transport.netty.internal.proto.PartitionSizes;
import io.ringkv.transport.netty.internal.proto.Sizes;
import io.ringkv.transport.netty.internal.proto.PutDone;
import io.ringkv.transport.netty.internal.proto.Reap;
import io.ringkv.transport.netty.internal.proto.Reaped;
import io.ringkv.transport.netty.internal.proto.Request;
import io.ringkv.transport.netty.internal.proto.Response;
import io.ringkv.transport.netty.internal.proto.SegmentEntries;
import io.ringkv.transport.netty.internal.proto.Store;
import io.ringkv.transport.netty.internal.proto.StoreHint;
import io.ringkv.transport.netty.internal.proto.StoreMany;
import io.ringkv.transport.netty.internal.proto.Stored;
import io.ringkv.transport.netty.internal.proto.TreeEntries;
import io.ringkv.transport.netty.internal.proto.TreeHashes;
import io.ringkv.transport.netty.internal.proto.TreeLevel;
import io.ringkv.transport.netty.internal.proto.Version;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one place that maps the replication records to the wire schema ({@code ringkv_wire.proto})
 * and back. Decoding validates through the records' own constructors, so a peer cannot smuggle
 * in a value the vocabulary refuses: {@link #fromEnvelope} turns such content into
 * {@link Frame.Malformed}.
 *
 * <p>Copies: a {@link Bytes} is copied once into the message ({@code toByteArray}, then wrapped
 * without copying); on the way in, a value aliases the frame buffer while parsing and is copied
 * into a {@link Bytes} (twice, since {@code Bytes.of} defends itself with a clone).
 */
final class WireMapping {
  private WireMapping() {}

  // ---------------------------------------------------------------- frames

  static Envelope toEnvelope(Frame frame) {
    Envelope.Builder e = Envelope.newBuilder().setCorrelationId(frame.id());
    if (frame instanceof Frame.Request r) {
      e.setRequest(toProto(r.from(), r.request()));
    } else if (frame instanceof Frame.Response r) {
      e.setResponse(toProto(r.response()));
    } else if (frame instanceof Frame.GossipRequest g) {
      e.setGossipRequest(Gossip.newBuilder().setPayload(wrap(g.payload())));
    } else if (frame instanceof Frame.GossipResponse g) {
      e.setGossipResponse(Gossip.newBuilder().setPayload(wrap(g.payload())));
    } else if (frame instanceof Frame.Malformed m) {
      throw new IllegalArgumentException("a malformed frame (" + m.reason() + ") is never sent");
    } else {
      throw unhandled("frame", frame);
    }
    return e.build();
  }

  /** A subtype of a sealed message type this mapping does not know: a bug, never a peer's fault. */
  private static AssertionError unhandled(String what, Object value) {
    return new AssertionError("unhandled " + what + " " + value.getClass().getName()
        + ": WireMapping must map every permitted subtype");
  }

  /** The frame an envelope carries; content the vocabulary refuses becomes {@link Frame.Malformed}. */
  static Frame fromEnvelope(Envelope e) {
    long id = e.getCorrelationId();
    boolean isRequest = e.getBodyCase() == Envelope.BodyCase.REQUEST
        || e.getBodyCase() == Envelope.BodyCase.GOSSIP_REQUEST;
    try {
      switch (e.getBodyCase()) {
        case REQUEST:
          return new Frame.Request(id, NodeId.of(e.getRequest().getFrom()),
              fromProto(e.getRequest()));
        case RESPONSE:
          return new Frame.Response(id, fromProto(e.getResponse()));
        case GOSSIP_REQUEST:
          return new Frame.GossipRequest(id, e.getGossipRequest().getPayload().toByteArray());
        case GOSSIP_RESPONSE:
          return new Frame.GossipResponse(id, e.getGossipResponse().getPayload().toByteArray());
        default:
          return new Frame.Malformed(id, false, "envelope " + id + " carries no message");
      }
    } catch (RuntimeException ex) {
      return new Frame.Malformed(id, isRequest, ex.getMessage());
    }
  }

  // ---------------------------------------------------------------- requests

  static Request toProto(NodeId from, ReplicaRequest request) {
    Request.Builder b = Request.newBuilder().setFrom(from.value());
    if (request instanceof ReplicaRequest.Fetch f) {
      b.setFetch(Fetch.newBuilder().setKey(toProto(f.key())));
    } else if (request instanceof ReplicaRequest.Store s) {
      b.setStore(Store.newBuilder().setKey(toProto(s.key()))
          .addAllSiblings(toProto(s.siblings().versions())));
    } else if (request instanceof ReplicaRequest.Reap r) {
      b.setReap(Reap.newBuilder().setKey(toProto(r.key()))
          .addAllExpected(toProto(r.expected().versions())));
    } else if (request instanceof ReplicaRequest.StoreHint h) {
      b.setStoreHint(StoreHint.newBuilder().setKey(toProto(h.key()))
          .addAllSiblings(toProto(h.siblings().versions()))
          .setIntendedFor(h.intendedFor().value()));
    } else if (request instanceof ReplicaRequest.FetchHints f) {
      b.setFetchHints(FetchHints.newBuilder().setKey(toProto(f.key())));
    } else if (request instanceof ReplicaRequest.CoordinateGet g) {
      b.setCoordinateGet(CoordinateGet.newBuilder().setKey(toProto(g.key()))
          .setOptions(toProto(g.options())));
    } else if (request instanceof ReplicaRequest.CoordinatePut p) {
      b.setCoordinatePut(CoordinatePut.newBuilder().setKey(toProto(p.key()))
          .setSeen(toProto(p.seen())).setValue(wrap(p.value()))
          .setTombstone(p.tombstone()).setOptions(toProto(p.options())));
    } else if (request instanceof ReplicaRequest.TreeLevel t) {
      b.setTreeLevel(TreeLevel.newBuilder().setPartition(t.partition()).setN(t.n())
          .setLevel(t.level()).addAllIndexes(t.indexes()));
    } else if (request instanceof ReplicaRequest.SegmentEntries s) {
      b.setSegmentEntries(SegmentEntries.newBuilder().setPartition(s.partition()).setN(s.n())
          .addAllSegments(s.segments()));
    } else if (request instanceof ReplicaRequest.FetchTokens f) {
      b.setFetchTokens(FetchTokens.newBuilder().setPartition(f.partition()).setN(f.n())
          .addAllTokens(f.tokens()));
    } else if (request instanceof ReplicaRequest.StoreMany s) {
      b.setStoreMany(StoreMany.newBuilder().addAllEntries(toProto(s.entries())));
    } else if (request instanceof ReplicaRequest.FindHints f) {
      b.setFindHints(FindHints.newBuilder().addAllKeys(toProtoKeys(f.keys())));
    } else if (request instanceof ReplicaRequest.PartitionSizes) {
      b.setPartitionSizes(PartitionSizes.getDefaultInstance());
    } else {
      throw unhandled("replica request", request);
    }
    return b.build();
  }

  static ReplicaRequest fromProto(Request r) {
    switch (r.getKindCase()) {
      case FETCH:
        return new ReplicaRequest.Fetch(fromProto(r.getFetch().getKey()));
      case STORE:
        return new ReplicaRequest.Store(fromProto(r.getStore().getKey()),
            Siblings.of(fromProto(r.getStore().getSiblingsList())));
      case REAP:
        return new ReplicaRequest.Reap(fromProto(r.getReap().getKey()),
            Siblings.of(fromProto(r.getReap().getExpectedList())));
      case STORE_HINT: {
        StoreHint h = r.getStoreHint();
        return new ReplicaRequest.StoreHint(fromProto(h.getKey()),
            Siblings.of(fromProto(h.getSiblingsList())), NodeId.of(h.getIntendedFor()));
      }
      case FETCH_HINTS:
        return new ReplicaRequest.FetchHints(fromProto(r.getFetchHints().getKey()));
      case COORDINATE_GET:
        return new ReplicaRequest.CoordinateGet(fromProto(r.getCoordinateGet().getKey()),
            fromProto(r.getCoordinateGet().getOptions()));
      case COORDINATE_PUT: {
        CoordinatePut p = r.getCoordinatePut();
        return new ReplicaRequest.CoordinatePut(fromProto(p.getKey()), fromProto(p.getSeen()),
            bytes(p.getValue()), p.getTombstone(), fromProto(p.getOptions()));
      }
      case TREE_LEVEL: {
        TreeLevel t = r.getTreeLevel();
        return new ReplicaRequest.TreeLevel(uint32("partition", t.getPartition()),
            uint32("n", t.getN()), uint32("level", t.getLevel()),
            uint32s("index", t.getIndexesList()));
      }
      case SEGMENT_ENTRIES: {
        SegmentEntries s = r.getSegmentEntries();
        return new ReplicaRequest.SegmentEntries(uint32("partition", s.getPartition()),
            uint32("n", s.getN()), uint32s("segment", s.getSegmentsList()));
      }
      case FETCH_TOKENS: {
        FetchTokens f = r.getFetchTokens();
        return new ReplicaRequest.FetchTokens(uint32("partition", f.getPartition()),
            uint32("n", f.getN()), f.getTokensList());
      }
      case STORE_MANY:
        return new ReplicaRequest.StoreMany(fromProtoEntries(r.getStoreMany().getEntriesList()));
      case FIND_HINTS:
        return new ReplicaRequest.FindHints(fromProtoKeys(r.getFindHints().getKeysList()));
      case PARTITION_SIZES:
        return new ReplicaRequest.PartitionSizes();
      default:
        throw new IllegalArgumentException("request from '" + r.getFrom()
            + "' names no operation (an unknown kind from a newer node?)");
    }
  }

  // ---------------------------------------------------------------- responses

  static Response toProto(ReplicaResponse response) {
    Response.Builder b = Response.newBuilder();
    if (response instanceof ReplicaResponse.Fetched f) {
      b.setFetched(Fetched.newBuilder().addAllSiblings(toProto(f.siblings().versions())));
    } else if (response instanceof ReplicaResponse.Stored) {
      b.setStored(Stored.getDefaultInstance());
    } else if (response instanceof ReplicaResponse.Reaped r) {
      b.setReaped(Reaped.newBuilder().setRemoved(r.removed()));
    } else if (response instanceof ReplicaResponse.GetDone g) {
      b.setGetDone(GetDone.newBuilder().addAllSiblings(toProto(g.result().siblings()))
          .setContext(wrap(g.result().context().token())));
    } else if (response instanceof ReplicaResponse.PutDone p) {
      PutDone.Builder done = PutDone.newBuilder().setContext(wrap(p.result().context().token()));
      for (ReplicaReceipt r : p.result().replicas()) {
        done.addReplicas(io.ringkv.transport.netty.internal.proto.ReplicaReceipt.newBuilder()
            .setNode(r.node().value()).setRole(r.role().name().toLowerCase(Locale.ROOT))
            .setIntendedFor(r.intendedFor() == null ? "" : r.intendedFor().value()));
      }
      b.setPutDone(done);
    } else if (response instanceof ReplicaResponse.HintsFetched h) {
      HintsFetched.Builder hints = HintsFetched.newBuilder();
      h.hints().forEach((owner, versions) -> hints.addHints(HintsFetched.Entry.newBuilder()
          .setIntendedFor(owner.value()).addAllVersions(toProto(versions.versions()))));
      b.setHintsFetched(hints);
    } else if (response instanceof ReplicaResponse.TreeHashes t) {
      b.setTreeHashes(TreeHashes.newBuilder().addAllHashes(t.hashes()));
    } else if (response instanceof ReplicaResponse.TreeEntries t) {
      b.setTreeEntries(TreeEntries.newBuilder().addAllTokens(t.tokens())
          .addAllLeaves(t.leaves()));
    } else if (response instanceof ReplicaResponse.KeysFetched k) {
      b.setKeysFetched(KeysFetched.newBuilder().addAllEntries(toProto(k.found()))
          .addAllUnsent(k.unsent()));
    } else if (response instanceof ReplicaResponse.KeysHinted k) {
      b.setKeysHinted(KeysHinted.newBuilder().addAllKeys(toProtoKeys(k.keys())));
    } else if (response instanceof ReplicaResponse.Sizes z) {
      b.setSizes(Sizes.newBuilder().addAllPartitions(z.partitions()).addAllFactors(z.factors())
          .addAllKeys(z.keys()).addAllBytes(z.bytes()));
    } else if (response instanceof ReplicaResponse.Failed f) {
      b.setFailed(Failed.newBuilder().setCode(f.code().name())
          .setMessage(f.message() == null ? "" : f.message())
          .setOperation(f.operation() == null ? "" : f.operation())
          .setQuorum(f.quorum()).setRequired(f.required()).setAchieved(f.achieved()));
    } else {
      throw unhandled("replica response", response);
    }
    return b.build();
  }

  static ReplicaResponse fromProto(Response r) {
    switch (r.getKindCase()) {
      case FETCHED:
        return new ReplicaResponse.Fetched(Siblings.of(fromProto(r.getFetched().getSiblingsList())));
      case STORED:
        return new ReplicaResponse.Stored();
      case REAPED:
        return new ReplicaResponse.Reaped(r.getReaped().getRemoved());
      case GET_DONE:
        return new ReplicaResponse.GetDone(new GetResult(
            fromProto(r.getGetDone().getSiblingsList()),
            new Context(bytes(r.getGetDone().getContext()))));
      case PUT_DONE: {
        PutDone p = r.getPutDone();
        List<ReplicaReceipt> receipt = new ArrayList<>(p.getReplicasCount());
        for (io.ringkv.transport.netty.internal.proto.ReplicaReceipt rr : p.getReplicasList()) {
          receipt.add(new ReplicaReceipt(NodeId.of(rr.getNode()), role(rr.getRole()),
              rr.getIntendedFor().isEmpty() ? null : NodeId.of(rr.getIntendedFor())));
        }
        return new ReplicaResponse.PutDone(new PutResult(new Context(bytes(p.getContext())),
            receipt));
      }
      case HINTS_FETCHED: {
        Map<NodeId, Siblings> hints = new LinkedHashMap<>();
        for (HintsFetched.Entry e : r.getHintsFetched().getHintsList()) {
          if (hints.put(NodeId.of(e.getIntendedFor()), Siblings.of(fromProto(e.getVersionsList())))
              != null) {
            throw new IllegalArgumentException("hints name owner '" + e.getIntendedFor()
                + "' twice");
          }
        }
        return new ReplicaResponse.HintsFetched(hints);
      }
      case TREE_HASHES:
        return new ReplicaResponse.TreeHashes(r.getTreeHashes().getHashesList());
      case TREE_ENTRIES:
        return new ReplicaResponse.TreeEntries(r.getTreeEntries().getTokensList(),
            r.getTreeEntries().getLeavesList());
      case KEYS_FETCHED:
        return new ReplicaResponse.KeysFetched(
            fromProtoEntries(r.getKeysFetched().getEntriesList()),
            r.getKeysFetched().getUnsentList());
      case KEYS_HINTED:
        return new ReplicaResponse.KeysHinted(fromProtoKeys(r.getKeysHinted().getKeysList()));
      case SIZES: {
        Sizes z = r.getSizes();
        z.getPartitionsList().forEach(v -> uint32("partition", v));
        z.getFactorsList().forEach(v -> uint32("replication factor", v));
        z.getKeysList().forEach(v -> uint64("key count", v));
        z.getBytesList().forEach(v -> uint64("byte count", v));
        return new ReplicaResponse.Sizes(z.getPartitionsList(), z.getFactorsList(),
            z.getKeysList(), z.getBytesList());
      }
      case FAILED: {
        Failed f = r.getFailed();
        return new ReplicaResponse.Failed(errorCode(f.getCode()), f.getMessage(),
            f.getOperation(), f.getQuorum(), f.getRequired(), f.getAchieved());
      }
      default:
        throw new IllegalArgumentException("response names no outcome (an unknown kind from a newer node?)");
    }
  }

  private static ReplicaReceipt.Role role(String name) {
    try {
      return ReplicaReceipt.Role.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("replica receipt role '" + name + "' is not one of "
          + "primary, fallback, hint");
    }
  }

  private static ErrorCode errorCode(String name) {
    try {
      return ErrorCode.valueOf(name);
    } catch (IllegalArgumentException e) {
      return ErrorCode.INTERNAL; // a code this node does not know yet
    }
  }

  // ---------------------------------------------------------------- vocabulary

  static io.ringkv.transport.netty.internal.proto.Key toProto(Key key) {
    return io.ringkv.transport.netty.internal.proto.Key.newBuilder()
        .setBucket(key.bucket()).setKey(key.key()).build();
  }

  static Key fromProto(io.ringkv.transport.netty.internal.proto.Key key) {
    return Key.of(key.getBucket(), key.getKey());
  }

  static List<io.ringkv.transport.netty.internal.proto.Key> toProtoKeys(List<Key> keys) {
    List<io.ringkv.transport.netty.internal.proto.Key> out = new ArrayList<>(keys.size());
    for (Key k : keys) {
      out.add(toProto(k));
    }
    return out;
  }

  static List<Key> fromProtoKeys(List<io.ringkv.transport.netty.internal.proto.Key> keys) {
    List<Key> out = new ArrayList<>(keys.size());
    for (io.ringkv.transport.netty.internal.proto.Key k : keys) {
      out.add(fromProto(k));
    }
    return out;
  }

  /** Each key with its versions, one {@code KeyVersions} per key. */
  static List<KeyVersions> toProto(Map<Key, Siblings> entries) {
    List<KeyVersions> out = new ArrayList<>(entries.size());
    entries.forEach((key, siblings) -> out.add(KeyVersions.newBuilder().setKey(toProto(key))
        .addAllVersions(toProto(siblings.versions())).build()));
    return out;
  }

  /** The entries back as a map; a key named twice is malformed, not silently merged. */
  static Map<Key, Siblings> fromProtoEntries(List<KeyVersions> entries) {
    Map<Key, Siblings> out = new LinkedHashMap<>();
    for (KeyVersions e : entries) {
      Key key = fromProto(e.getKey());
      if (out.put(key, Siblings.of(fromProto(e.getVersionsList()))) != null) {
        throw new IllegalArgumentException("entries name key " + key + " twice");
      }
    }
    return out;
  }

  /**
   * A uint32 the records keep in an int (partition, n, level, index): a value past
   * {@code Integer.MAX_VALUE} arrives negative, and is refused rather than handed on.
   */
  /** A uint64 count: past {@code Long.MAX_VALUE} it arrives negative, and is refused. */
  static long uint64(String what, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(what + " " + Long.toUnsignedString(value)
          + " is out of range");
    }
    return value;
  }

  static int uint32(String what, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(what + " " + Integer.toUnsignedString(value)
          + " is out of range");
    }
    return value;
  }

  static List<Integer> uint32s(String what, List<Integer> values) {
    for (int v : values) {
      uint32(what, v);
    }
    return values;
  }

  static io.ringkv.transport.netty.internal.proto.RequestOptions toProto(RequestOptions o) {
    return io.ringkv.transport.netty.internal.proto.RequestOptions.newBuilder()
        .setR(o.r()).setW(o.w()).setPr(o.pr()).setPw(o.pw())
        .setTimeoutMs(o.timeout() == null ? 0 : ceilMillis(o.timeout())).build();
  }

  /** Whole milliseconds, rounded up so a sub-millisecond timeout never becomes "none". */
  static long ceilMillis(Duration d) {
    long ms = d.toMillis();
    return d.equals(Duration.ofMillis(ms)) ? ms : ms + 1;
  }

  static RequestOptions fromProto(io.ringkv.transport.netty.internal.proto.RequestOptions o) {
    if (o.getTimeoutMs() < 0) {
      throw new IllegalArgumentException("timeout_ms " + Long.toUnsignedString(o.getTimeoutMs())
          + " is out of range");
    }
    return new RequestOptions(o.getR(), o.getW(), o.getPr(), o.getPw(),
        o.getTimeoutMs() == 0 ? null : Duration.ofMillis(o.getTimeoutMs()));
  }

  static List<Version> toProto(List<Versioned<Bytes>> versions) {
    List<Version> out = new ArrayList<>(versions.size());
    for (Versioned<Bytes> v : versions) {
      out.add(toProto(v));
    }
    return out;
  }

  static List<Versioned<Bytes>> fromProto(List<Version> versions) {
    List<Versioned<Bytes>> out = new ArrayList<>(versions.size());
    for (Version v : versions) {
      out.add(fromProto(v));
    }
    return out;
  }

  static Version toProto(Versioned<Bytes> v) {
    return Version.newBuilder().setValue(wrap(v.value())).setDot(toProto(v.dot()))
        .setContext(toProto(v.context())).setTimestamp(v.timestamp()).setTombstone(v.tombstone())
        .build();
  }

  static Versioned<Bytes> fromProto(Version v) {
    if (!v.hasDot()) {
      throw new IllegalArgumentException("a version without a dot");
    }
    return new Versioned<>(bytes(v.getValue()), fromProto(v.getDot()), fromProto(v.getContext()),
        v.getTimestamp(), v.getTombstone());
  }

  static io.ringkv.transport.netty.internal.proto.Dot toProto(Dot dot) {
    return io.ringkv.transport.netty.internal.proto.Dot.newBuilder()
        .setActor(toProto(dot.actor())).setCounter(dot.counter()).build();
  }

  static Dot fromProto(io.ringkv.transport.netty.internal.proto.Dot dot) {
    return new Dot(fromProto(dot.getActor()), dot.getCounter());
  }

  static io.ringkv.transport.netty.internal.proto.Actor toProto(Actor actor) {
    return io.ringkv.transport.netty.internal.proto.Actor.newBuilder()
        .setNode(actor.node().value()).setEpoch(actor.epoch()).build();
  }

  static Actor fromProto(io.ringkv.transport.netty.internal.proto.Actor actor) {
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
  private static ByteString wrap(Bytes b) {
    return b.isEmpty() ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(b.toByteArray());
  }

  private static ByteString wrap(byte[] owned) {
    return owned.length == 0 ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(owned);
  }

  private static Bytes bytes(ByteString s) {
    return s.isEmpty() ? Bytes.EMPTY : Bytes.of(s.toByteArray());
  }
}
