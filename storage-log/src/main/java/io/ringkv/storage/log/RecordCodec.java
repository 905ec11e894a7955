package io.ringkv.storage.log;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Dot;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;

/**
 * The log's record format, version 1. Every record is one Chronicle Queue document:
 * <pre>
 * record  = crc32c:u32be  format:u8 (=1)  type:u8  key  [body]
 *           (the CRC32C covers every byte after itself)
 * key     = varint(len) bucket-utf8  varint(len) key-utf8
 * type 1  = PUT, body = actors versions: the key's whole sibling set after the merge
 * type 2  = REMOVE, no body: the key was reaped (removeIfEquals)
 * actors  = varint(n) { varint(len) node-id-utf8  varlong(epoch) }   (referenced by position)
 * versions= varint(m) { flags:u8 (bit 0 = tombstone)  zigzag-varlong(timestamp)
 *                       varint(actor) varlong(dot counter)
 *                       varint(k) { varint(actor) varlong(counter) zigzag-varlong(timestamp) }
 *                       varint(len) value }
 * </pre>
 * Decoding checks the checksum, the version, every length and every value rule; anything off is a
 * {@link CorruptRecordException}, so a torn or damaged record is never served.
 */
final class RecordCodec {
  static final int FORMAT_VERSION = 1;
  static final byte TYPE_PUT = 1;
  static final byte TYPE_REMOVE = 2;
  /** Bytes before the key: the checksum, the format version and the type. */
  static final int KEY_OFFSET = 6;
  private static final int TOMBSTONE = 1;
  private static final int NODE_ID_CACHE_SIZE = 1024;
  private static final ConcurrentHashMap<String, NodeId> NODE_IDS = new ConcurrentHashMap<>();

  private RecordCodec() {
  }

  /** The key as records spell it; equal keys have equal encodings. */
  static byte[] encodeKey(Key key) {
    byte[] bucket = key.bucket().getBytes(StandardCharsets.UTF_8);
    byte[] name = key.key().getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[varLongSize(bucket.length) + bucket.length + varLongSize(name.length) + name.length];
    int pos = putVarLong(out, 0, bucket.length);
    System.arraycopy(bucket, 0, out, pos, bucket.length);
    pos = putVarLong(out, pos + bucket.length, name.length);
    System.arraycopy(name, 0, out, pos, name.length);
    return out;
  }

  private static int varLongSize(long v) {
    return v == 0 ? 1 : (63 - Long.numberOfLeadingZeros(v)) / 7 + 1;
  }

  private static int putVarLong(byte[] buf, int pos, long v) {
    while ((v & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
    return pos;
  }

  /**
   * One version as the encoder sees it: its metadata and its value, either a {@link Bytes}
   * ({@code value}, for a version that came in) or a range of a stored record's bytes
   * ({@code valueArray} from {@code valueOffset}, {@code valueLength} bytes), so a value read from
   * a stored record can be copied into a new record straight from that record's bytes. Either way
   * the value is copied once, into the new record.
   */
  record VersionBits(Dot dot, VectorClock context, long timestamp, boolean tombstone, Bytes value, byte[] valueArray,
      int valueOffset, int valueLength) {
    static VersionBits of(Versioned<Bytes> v) {
      return new VersionBits(v.dot(), v.context(), v.timestamp(), v.tombstone(), v.value(), null, 0, v.value().length());
    }

    /** The version, its value copied out of {@code valueArray} if it lies there. */
    Versioned<Bytes> toVersioned() {
      Bytes bytes = value != null ? value : Bytes.of(valueArray, valueOffset, valueLength);
      return new Versioned<>(bytes, dot, context, timestamp, tombstone);
    }
  }

  static byte[] encodePut(byte[] keyBytes, Siblings siblings) {
    List<Versioned<Bytes>> versions = siblings.versions();
    VersionBits[] bits = new VersionBits[versions.size()];
    for (int i = 0; i < bits.length; i++) {
      bits[i] = VersionBits.of(versions.get(i));
    }
    return encodePut(keyBytes, bits, bits.length);
  }

  /**
   * The PUT record of the first {@code count} versions of {@code versions}, which must already be a
   * reconciled sibling set in dot order (what {@link Siblings#versions()} gives): the same bytes as
   * {@link #encodePut(byte[], Siblings)} of that set. Sized exactly, so the record is built in place.
   */
  static byte[] encodePut(byte[] keyBytes, VersionBits[] versions, int count) {
    List<Actor> actors = new ArrayList<>(4);
    for (int i = 0; i < count; i++) {
      VersionBits v = versions[i];
      addActor(actors, v.dot().actor());
      for (Actor a : v.context().entries().keySet()) {
        addActor(actors, a);
      }
    }
    byte[][] names = new byte[actors.size()][];
    int size = KEY_OFFSET + keyBytes.length + varLongSize(actors.size()) + varLongSize(count);
    for (int a = 0; a < names.length; a++) {
      names[a] = actors.get(a).node().value().getBytes(StandardCharsets.UTF_8);
      size += varLongSize(names[a].length) + names[a].length + varLongSize(actors.get(a).epoch());
    }
    for (int i = 0; i < count; i++) {
      VersionBits v = versions[i];
      size += 1 + varLongSize(zigzag(v.timestamp())) + varLongSize(actors.indexOf(v.dot().actor()))
          + varLongSize(v.dot().counter()) + varLongSize(v.context().size());
      for (Map.Entry<Actor, VectorClock.Entry> e : v.context().entries().entrySet()) {
        size += varLongSize(actors.indexOf(e.getKey())) + varLongSize(e.getValue().counter())
            + varLongSize(zigzag(e.getValue().timestamp()));
      }
      size += varLongSize(v.valueLength()) + v.valueLength();
    }
    Out out = new Out(size);
    out.header(TYPE_PUT, keyBytes);
    out.varLong(actors.size());
    for (int a = 0; a < names.length; a++) {
      out.varLong(names[a].length);
      out.bytes(names[a], 0, names[a].length);
      out.varLong(actors.get(a).epoch());
    }
    out.varLong(count);
    for (int i = 0; i < count; i++) {
      VersionBits v = versions[i];
      out.u8(v.tombstone() ? TOMBSTONE : 0);
      out.varLong(zigzag(v.timestamp()));
      out.varLong(actors.indexOf(v.dot().actor()));
      out.varLong(v.dot().counter());
      out.varLong(v.context().size());
      for (Map.Entry<Actor, VectorClock.Entry> e : v.context().entries().entrySet()) {
        out.varLong(actors.indexOf(e.getKey()));
        out.varLong(e.getValue().counter());
        out.varLong(zigzag(e.getValue().timestamp()));
      }
      out.varLong(v.valueLength());
      if (v.value() != null) {
        out.bytes(v.value());
      } else {
        out.bytes(v.valueArray(), v.valueOffset(), v.valueLength());
      }
    }
    return out.sealed();
  }

  private static void addActor(List<Actor> actors, Actor actor) {
    if (!actors.contains(actor)) {
      actors.add(actor);
    }
  }

  static byte[] encodeRemove(byte[] keyBytes) {
    Out out = new Out(KEY_OFFSET + keyBytes.length);
    out.header(TYPE_REMOVE, keyBytes);
    return out.sealed();
  }

  /** Checks the checksum and the format version; returns the record type. */
  static byte verify(byte[] record, int length) {
    if (length < KEY_OFFSET + 2) {
      throw new CorruptRecordException("record of " + length + " bytes is shorter than the smallest record");
    }
    int stored = ((record[0] & 0xff) << 24) | ((record[1] & 0xff) << 16) | ((record[2] & 0xff) << 8) | (record[3] & 0xff);
    CRC32C crc = new CRC32C();
    crc.update(record, 4, length - 4);
    if ((int) crc.getValue() != stored) {
      throw new CorruptRecordException("record checksum mismatch");
    }
    if (record[4] != FORMAT_VERSION) {
      throw new CorruptRecordException("record format version " + record[4] + " is unknown; this build reads "
          + FORMAT_VERSION);
    }
    byte type = record[5];
    if (type != TYPE_PUT && type != TYPE_REMOVE) {
      throw new CorruptRecordException("record type " + type + " is unknown");
    }
    return type;
  }

  /** True when the record (not necessarily verified) is about the key encoded as {@code keyBytes}. */
  static boolean hasKey(byte[] record, int length, byte[] keyBytes) {
    return length >= KEY_OFFSET + keyBytes.length
        && Arrays.equals(record, KEY_OFFSET, KEY_OFFSET + keyBytes.length, keyBytes, 0, keyBytes.length);
  }

  /** The key's encoding inside a verified record. */
  static byte[] keyBytes(byte[] record, int length) {
    In in = new In(record, KEY_OFFSET, length);
    in.skip(in.length());
    in.skip(in.length());
    return Arrays.copyOfRange(record, KEY_OFFSET, in.pos);
  }

  static Key decodeKey(byte[] record, int length) {
    In in = new In(record, KEY_OFFSET, length);
    try {
      return Key.of(in.string(), in.string());
    } catch (RuntimeException e) {
      throw CorruptRecordException.wrap("record key", e);
    }
  }

  /**
   * The versions of a verified PUT record with their metadata decoded and their values left in place
   * (each {@link VersionBits#valueArray()} is {@code record}), in record order. Checks every rule
   * a record must satisfy; {@link #decodeSiblings} adds the values and reconciles the set.
   */
  static VersionBits[] decodeVersionBits(byte[] record, int length) {
    return decodeVersionBits(new In(record, KEY_OFFSET, length), record, length);
  }

  /**
   * {@link #decodeVersionBits} of a record of {@code length} bytes of which only the first,
   * {@code head}, are at hand (checksum not checked: it covers bytes not read). Null when some
   * version's metadata lies past {@code head}; the values' ranges may run past it.
   */
  static VersionBits[] decodeVersionBitsOfHead(byte[] head, int length) {
    if (head.length < KEY_OFFSET + 2 || head.length > length) {
      throw new CorruptRecordException("a record head of " + head.length + " bytes of a record of " + length);
    }
    if (head[4] != FORMAT_VERSION || head[5] != TYPE_PUT) {
      throw new CorruptRecordException("not a PUT record of format version " + FORMAT_VERSION);
    }
    try {
      return decodeVersionBits(new In(head, KEY_OFFSET, length), head, length);
    } catch (In.PastHead e) {
      return null;
    }
  }

  private static VersionBits[] decodeVersionBits(In in, byte[] record, int length) {
    try {
      in.skip(in.length());
      in.skip(in.length());
      int actorCount = in.count();
      Actor[] actors = new Actor[actorCount];
      for (int i = 0; i < actorCount; i++) {
        actors[i] = new Actor(nodeId(in.string()), in.varLong());
      }
      int versionCount = in.count();
      if (versionCount == 0) {
        throw new CorruptRecordException("a PUT record holds no version");
      }
      VersionBits[] versions = new VersionBits[versionCount];
      for (int i = 0; i < versionCount; i++) {
        int flags = in.u8();
        if ((flags & ~TOMBSTONE) != 0) {
          throw new CorruptRecordException("version flags " + flags + " set unknown bits");
        }
        long timestamp = unzigzag(in.varLong());
        Dot dot = new Dot(actors[in.index(actorCount)], in.varLong());
        int entries = in.count();
        TreeMap<Actor, VectorClock.Entry> context = new TreeMap<>();
        for (int e = 0; e < entries; e++) {
          Actor actor = actors[in.index(actorCount)];
          context.put(actor, new VectorClock.Entry(in.varLong(), unzigzag(in.varLong())));
        }
        VectorClock clock = new VectorClock(context);
        if (clock.covers(dot)) {
          throw new CorruptRecordException("a version's own dot " + dot + " is in its causal context");
        }
        int valueLength = in.length();
        versions[i] = new VersionBits(dot, clock, timestamp, flags == TOMBSTONE, null, record, in.pos, valueLength);
        in.skip(valueLength);
      }
      if (in.pos != length) {
        throw new CorruptRecordException((length - in.pos) + " bytes left over after the last version");
      }
      return versions;
    } catch (CorruptRecordException | In.PastHead e) {
      throw e;
    } catch (RuntimeException e) {
      throw CorruptRecordException.wrap("record versions", e);
    }
  }

  /** The sibling set of a verified PUT record: its versions, values copied out, reconciled. */
  static Siblings decodeSiblings(byte[] record, int length) {
    VersionBits[] bits = decodeVersionBits(record, length);
    List<Versioned<Bytes>> versions = new ArrayList<>(bits.length);
    for (VersionBits b : bits) {
      versions.add(b.toVersioned());
    }
    return Siblings.of(versions);
  }

  /**
   * The node id spelt {@code value}, from a cache: every record names the same few nodes, and
   * {@link NodeId#of} checks its argument against a pattern. Bounded: cleared when it fills up.
   */
  private static NodeId nodeId(String value) {
    NodeId id = NODE_IDS.get(value);
    if (id == null) {
      id = NodeId.of(value);
      if (NODE_IDS.size() >= NODE_ID_CACHE_SIZE) {
        NODE_IDS.clear();
      }
      NODE_IDS.put(value, id);
    }
    return id;
  }

  private static long zigzag(long v) {
    return (v << 1) ^ (v >> 63);
  }

  private static long unzigzag(long v) {
    return (v >>> 1) ^ -(v & 1);
  }

  /** A growable output buffer. */
  private static final class Out {
    private byte[] buf;
    private int pos;

    Out(int capacity) {
      buf = new byte[Math.max(16, capacity)];
    }

    void header(byte type, byte[] keyBytes) {
      pos = 4;
      u8(FORMAT_VERSION);
      u8(type);
      bytes(keyBytes);
    }

    void u8(int v) {
      ensure(1);
      buf[pos++] = (byte) v;
    }

    void varLong(long v) {
      ensure(10);
      while ((v & ~0x7FL) != 0) {
        buf[pos++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      buf[pos++] = (byte) v;
    }

    void bytes(byte[] b) {
      bytes(b, 0, b.length);
    }

    void bytes(Bytes b) {
      ensure(b.length());
      b.copyTo(buf, pos);
      pos += b.length();
    }

    void bytes(byte[] b, int offset, int length) {
      ensure(length);
      System.arraycopy(b, offset, buf, pos, length);
      pos += length;
    }

    byte[] toArray() {
      return Arrays.copyOf(buf, pos);
    }

    /** The record with its checksum filled in. */
    byte[] sealed() {
      byte[] out = pos == buf.length ? buf : toArray();
      CRC32C crc = new CRC32C();
      crc.update(out, 4, out.length - 4);
      int c = (int) crc.getValue();
      out[0] = (byte) (c >>> 24);
      out[1] = (byte) (c >>> 16);
      out[2] = (byte) (c >>> 8);
      out[3] = (byte) c;
      return out;
    }

    private void ensure(int n) {
      if (pos + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
      }
    }
  }

  /**
   * A bounds-checked reader; running off the end ({@code limit}) is corruption. Of a record only
   * partly read ({@code buf} shorter than {@code limit}), reading past {@code buf} is {@link PastHead}.
   */
  private static final class In {
    /** A read went past the bytes at hand (not past the record): more of the record is needed. */
    static final class PastHead extends RuntimeException {
      private static final PastHead INSTANCE = new PastHead();

      private PastHead() {
        super("read past the record head", null, false, false);
      }
    }

    private final byte[] buf;
    private final int limit;
    private int pos;

    In(byte[] buf, int pos, int limit) {
      this.buf = buf;
      this.pos = pos;
      this.limit = limit;
    }

    int u8() {
      if (pos >= limit) {
        throw new CorruptRecordException("record ends early at byte " + pos);
      }
      if (pos >= buf.length) {
        throw PastHead.INSTANCE;
      }
      return buf[pos++] & 0xff;
    }

    long varLong() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int b = u8();
        v |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return v;
        }
      }
      throw new CorruptRecordException("varint longer than 10 bytes at byte " + pos);
    }

    /** A length that must fit in what is left of the record. */
    int length() {
      long n = varLong();
      if (n < 0 || n > limit - pos) {
        throw new CorruptRecordException("length " + n + " at byte " + pos + " runs past the record end " + limit);
      }
      return (int) n;
    }

    /** An element count: each element takes at least one byte. */
    int count() {
      return length();
    }

    int index(int size) {
      long i = varLong();
      if (i < 0 || i >= size) {
        throw new CorruptRecordException("actor reference " + i + " is outside the record's " + size + " actors");
      }
      return (int) i;
    }

    String string() {
      int n = length();
      if (n > buf.length - pos) {
        throw PastHead.INSTANCE;
      }
      String s = new String(buf, pos, n, StandardCharsets.UTF_8);
      pos += n;
      return s;
    }

    void skip(int n) {
      if (n > limit - pos) {
        throw new CorruptRecordException("skip of " + n + " bytes at byte " + pos + " runs past the record end");
      }
      pos += n;
    }
  }
}
