package io.ringkv.versioning;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.InvalidContextException;
import io.ringkv.api.NodeId;
import io.ringkv.api.VectorClock;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Turns a causal context (a {@link VectorClock}) into the opaque {@link Context} token clients
 * carry, and back. The empty clock is the empty context. Otherwise, format version 1:
 * <pre>
 *   format   1 byte   (1)
 *   count    varint   number of entries, 1..{@value #MAX_ENTRIES}
 *   entries  in actor order, each:
 *     node id length varint, then that many bytes of UTF-8
 *     epoch          varint
 *     counter        varint (> 0)
 *     timestamp      varint (ms; the long's 64 bits, unsigned)
 * </pre>
 * Varints are unsigned LEB128 (7 bits a byte, low first, at most 10 bytes). The encoding is
 * canonical: {@link #decode} accepts only what {@link #encode} produces (minimal varints,
 * strictly increasing actors, no trailing bytes), so equal clocks always give equal tokens, and
 * it rejects anything else with an {@link InvalidContextException} that says what is wrong.
 */
public final class ContextCodec {
  /** The format this codec writes and the only one it reads. */
  public static final int FORMAT_VERSION = 1;
  /** The most entries a context may hold; prune clocks well below this. */
  public static final int MAX_ENTRIES = 4096;

  private static final int MAX_NODE_ID_BYTES = 128;
  /** One byte each for node id length, node id, epoch, counter and timestamp. */
  private static final int MIN_ENTRY_BYTES = 5;

  private ContextCodec() {
  }

  /** The token for {@code clock}; the empty clock gives {@link Context#EMPTY}. */
  public static Context encode(VectorClock clock) {
    Objects.requireNonNull(clock, "clock");
    if (clock.isEmpty()) {
      return Context.EMPTY;
    }
    if (clock.size() > MAX_ENTRIES) {
      throw new IllegalArgumentException("cannot encode a clock of " + clock.size()
          + " entries: a context holds at most " + MAX_ENTRIES + " (prune the clock first)");
    }
    Writer out = new Writer(8 + clock.size() * 24);
    out.put(FORMAT_VERSION);
    out.varint(clock.size());
    for (Map.Entry<Actor, VectorClock.Entry> e : clock.entries().entrySet()) {
      byte[] node = e.getKey().node().value().getBytes(StandardCharsets.UTF_8);
      out.varint(node.length);
      out.put(node);
      out.varint(e.getKey().epoch());
      out.varint(e.getValue().counter());
      out.varint(e.getValue().timestamp());
    }
    return new Context(Bytes.of(out.toByteArray()));
  }

  /**
   * The clock in {@code context}; the empty context gives the empty clock.
   *
   * @throws InvalidContextException when the token is not a context this codec wrote
   */
  public static VectorClock decode(Context context) {
    Objects.requireNonNull(context, "context");
    if (context.isEmpty()) {
      return VectorClock.empty();
    }
    return new Reader(context.token().toByteArray()).clock();
  }

  private static InvalidContextException invalid(String what) {
    return new InvalidContextException("invalid context: " + what);
  }

  /** Reads one token; every failure is an {@link InvalidContextException}. */
  private static final class Reader {
    private final byte[] in;
    private int pos;

    Reader(byte[] in) {
      this.in = in;
    }

    VectorClock clock() {
      int format = in[pos++] & 0xff;
      if (format != FORMAT_VERSION) {
        throw invalid("unknown format version " + format + " (this node reads version "
            + FORMAT_VERSION + ")");
      }
      long count = varint("entry count");
      if (count == 0) {
        throw invalid("entry count 0 (the empty clock is the empty context)");
      }
      if (count > MAX_ENTRIES) {
        throw invalid("entry count " + Long.toUnsignedString(count) + " is over the limit of "
            + MAX_ENTRIES);
      }
      if (count * MIN_ENTRY_BYTES > in.length - pos) {
        throw invalid("truncated: " + count + " entries need at least " + count * MIN_ENTRY_BYTES
            + " bytes, only " + (in.length - pos) + " left");
      }
      TreeMap<Actor, VectorClock.Entry> entries = new TreeMap<>();
      Actor previous = null;
      for (int i = 0; i < count; i++) {
        Actor actor = new Actor(nodeId(i), epoch(i));
        if (previous != null && previous.compareTo(actor) >= 0) {
          throw invalid("actors must be strictly increasing, but entry " + i + " (" + actor + ") "
              + (previous.equals(actor) ? "duplicates" : "comes after") + " " + previous);
        }
        long counter = varint("counter of entry " + i);
        if (counter <= 0) {
          throw invalid("counter of entry " + i + " (" + actor + ") must be > 0 and < 2^63, was "
              + Long.toUnsignedString(counter));
        }
        long timestamp = varint("timestamp of entry " + i);
        entries.put(actor, new VectorClock.Entry(counter, timestamp));
        previous = actor;
      }
      if (pos != in.length) {
        throw invalid((in.length - pos) + " trailing bytes after the last of " + count
            + " entries");
      }
      return new VectorClock(entries);
    }

    private NodeId nodeId(int entry) {
      long length = varint("node id length of entry " + entry);
      if (length < 1 || length > MAX_NODE_ID_BYTES) {
        throw invalid("invalid node id in entry " + entry + ": length "
            + Long.toUnsignedString(length) + " is not within 1.." + MAX_NODE_ID_BYTES);
      }
      int n = (int) length;
      if (n > in.length - pos) {
        throw invalid("truncated: node id of entry " + entry + " needs " + n + " bytes, only "
            + (in.length - pos) + " left");
      }
      String text;
      try {
        text = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(in, pos, n))
            .toString();
      } catch (CharacterCodingException e) {
        throw invalid("invalid node id in entry " + entry + ": not UTF-8 ("
            + Arrays.toString(Arrays.copyOfRange(in, pos, pos + Math.min(n, 16))) + ")");
      }
      pos += n;
      try {
        return NodeId.of(text);
      } catch (IllegalArgumentException e) {
        throw invalid("invalid node id in entry " + entry + ": " + e.getMessage());
      }
    }

    private long epoch(int entry) {
      long epoch = varint("epoch of entry " + entry);
      if (epoch < 0) {
        throw invalid("epoch of entry " + entry + " must be < 2^63, was "
            + Long.toUnsignedString(epoch));
      }
      return epoch;
    }

    /** An unsigned LEB128 varint of at most 64 bits in its shortest form. */
    private long varint(String field) {
      long value = 0;
      for (int shift = 0; ; shift += 7) {
        if (pos >= in.length) {
          throw invalid("truncated: " + field + " runs past the end (" + in.length + " bytes)");
        }
        int b = in[pos++] & 0xff;
        if (shift == 63 && b > 1) {
          throw invalid(field + " is a varint over 64 bits at byte " + (pos - 1));
        }
        value |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          if (b == 0 && shift > 0) {
            throw invalid(field + " is a varint with a redundant zero byte at byte " + (pos - 1)
                + " (not the shortest form)");
          }
          return value;
        }
      }
    }
  }

  /** A growable byte array. */
  private static final class Writer {
    private byte[] out;
    private int size;

    Writer(int capacity) {
      out = new byte[capacity];
    }

    void put(int b) {
      ensure(1);
      out[size++] = (byte) b;
    }

    void put(byte[] bytes) {
      ensure(bytes.length);
      System.arraycopy(bytes, 0, out, size, bytes.length);
      size += bytes.length;
    }

    void varint(long value) {
      long v = value;
      while ((v & ~0x7fL) != 0) {
        put((int) ((v & 0x7f) | 0x80));
        v >>>= 7;
      }
      put((int) v);
    }

    byte[] toByteArray() {
      return Arrays.copyOf(out, size);
    }

    private void ensure(int more) {
      if (size + more > out.length) {
        out = Arrays.copyOf(out, Math.max(out.length * 2, size + more));
      }
    }
  }
}
