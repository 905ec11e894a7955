package io.ringkv.versioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.InvalidContextException;
import io.ringkv.api.NodeId;
import io.ringkv.api.VectorClock;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ContextCodecTest {
  private static final Actor N1 = new Actor(NodeId.of("n1"), 0);
  private static final Actor N2 = new Actor(NodeId.of("n2"), 5);

  /** Format version 1, pinned: tokens handed to clients must stay readable. */
  @Test
  void formatOneIsPinned() {
    TreeMap<Actor, VectorClock.Entry> m = new TreeMap<>();
    m.put(N2, new VectorClock.Entry(1, 0));
    m.put(N1, new VectorClock.Entry(2, 1000));

    Context c = ContextCodec.encode(new VectorClock(m));

    assertThat(HexFormat.of().formatHex(c.token().toByteArray()))
        .isEqualTo("0102" + "026e31" + "00" + "02" + "e807" + "026e32" + "05" + "01" + "00");
    assertThat(ContextCodec.decode(c).entries()).isEqualTo(m);
  }

  @Test
  void theEmptyClockIsTheEmptyContext() {
    assertThat(ContextCodec.encode(VectorClock.empty())).isEqualTo(Context.EMPTY);
    assertThat(ContextCodec.decode(Context.EMPTY)).isEqualTo(VectorClock.empty());
  }

  @Test
  void aContextSurvivesTheWire() {
    VectorClock clock = VectorClock.empty().with(new io.ringkv.api.Dot(N1, 3), 7L)
        .with(new io.ringkv.api.Dot(N2, 1), 9L);
    String wire = ContextCodec.encode(clock).encoded();

    assertThat(ContextCodec.decode(Context.parse(wire)).entries()).isEqualTo(clock.entries());
  }

  @Test
  void extremeValuesRoundTrip() {
    TreeMap<Actor, VectorClock.Entry> m = new TreeMap<>();
    m.put(new Actor(NodeId.of("x".repeat(128)), Long.MAX_VALUE),
        new VectorClock.Entry(Long.MAX_VALUE, Long.MIN_VALUE));
    m.put(new Actor(NodeId.of("[::1]:7000"), 0), new VectorClock.Entry(1, -1));

    assertThat(ContextCodec.decode(ContextCodec.encode(new VectorClock(m))).entries()).isEqualTo(m);
  }

  @Test
  void aClockTooLargeForAContextIsRefused() {
    TreeMap<Actor, VectorClock.Entry> m = new TreeMap<>();
    for (int i = 0; i <= ContextCodec.MAX_ENTRIES; i++) {
      m.put(new Actor(NodeId.of("n" + i), 0), new VectorClock.Entry(1, 0));
    }

    assertThatThrownBy(() -> ContextCodec.encode(new VectorClock(m)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4097 entries").hasMessageContaining("at most 4096");
  }

  @Test
  void unknownFormatVersion() {
    assertInvalid(bytes(2, 1, id("n1"), 0, 1, 0), "unknown format version 2");
    assertInvalid(bytes(0), "unknown format version 0");
  }

  @Test
  void truncated() {
    assertInvalid(bytes(1), "truncated: entry count runs past the end");
    assertInvalid(bytes(1, 0x80), "truncated: entry count");
    assertInvalid(bytes(1, 1), "truncated: 1 entries need at least 5 bytes, only 0 left");
    assertInvalid(bytes(1, 1, id("n1"), 0, 0x81), "truncated: counter of entry 0");
    assertInvalid(bytes(1, 1, id("n1"), 0, 1), "truncated: timestamp of entry 0");
    assertInvalid(bytes(1, 1, 9, 'n', '1', 0, 1, 0), "truncated: node id of entry 0 needs 9 bytes");
    assertInvalid(bytes(1, 2, id("n1"), 0, 1, 0, id("n2"), 0, 1), "truncated");
  }

  @Test
  void trailingBytes() {
    assertInvalid(bytes(1, 1, id("n1"), 0, 1, 0, 0, 0), "2 trailing bytes after the last of 1");
  }

  @Test
  void entryCount() {
    assertInvalid(bytes(1, 0), "entry count 0 (the empty clock is the empty context)");
    assertInvalid(bytes(1, 0x81, 0x20), "entry count 4097 is over the limit of 4096");
    assertInvalid(bytes(1, 0xff, 0xff, 0xff, 0xff, 0x0f), "entry count 4294967295 is over");
  }

  @Test
  void invalidNodeIds() {
    assertInvalid(bytes(1, 1, 0, 0, 1, 0, 0), "invalid node id in entry 0: length 0");
    assertInvalid(bytes(1, 1, 0x81, 0x01, 0, 1, 0), "invalid node id in entry 0: length 129");
    assertInvalid(bytes(1, 1, 2, 0xc3, 0x28, 0, 1, 0), "invalid node id in entry 0: not UTF-8");
    assertInvalid(bytes(1, 1, id("a b"), 0, 1, 0), "invalid node id in entry 0: node id 'a b'");
    assertInvalid(bytes(1, 1, id("é"), 0, 1, 0), "invalid node id in entry 0");
  }

  @Test
  void countersMustBePositive() {
    assertInvalid(bytes(1, 1, id("n1"), 0, 0, 0), "counter of entry 0 (n1#0) must be > 0");
    assertInvalid(bytes(1, 1, id("n1"), 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 1, 0),
        "was 9223372036854775808");
  }

  @Test
  void epochsMustFitALong() {
    assertInvalid(bytes(1, 1, id("n1"), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 1, 0),
        "epoch of entry 0 must be < 2^63, was 18446744073709551615");
  }

  @Test
  void actorsMustBeStrictlyIncreasing() {
    assertInvalid(bytes(1, 2, id("n1"), 0, 1, 0, id("n1"), 0, 2, 0),
        "entry 1 (n1#0) duplicates n1#0");
    assertInvalid(bytes(1, 2, id("n2"), 0, 1, 0, id("n1"), 0, 2, 0),
        "entry 1 (n1#0) comes after n2#0");
    assertInvalid(bytes(1, 2, id("n1"), 1, 1, 0, id("n1"), 0, 2, 0), "comes after n1#1");
  }

  @Test
  void varintsMustBeShortestAndFitSixtyFourBits() {
    assertInvalid(bytes(1, 0x81, 0x00, id("n1"), 0, 1, 0), "redundant zero byte at byte 2");
    assertInvalid(bytes(1, 1, id("n1"), 0, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02),
        "timestamp of entry 0 is a varint over 64 bits");
  }

  @Test
  void aValidHandBuiltTokenDecodes() {
    VectorClock c = ContextCodec.decode(new Context(Bytes.of(
        bytes(1, 2, id("n1"), 0, 2, 0xe8, 0x07, id("n2"), 5, 1, 0))));

    assertThat(c.counter(N1)).isEqualTo(2);
    assertThat(c.entries().get(N1).timestamp()).isEqualTo(1000);
    assertThat(c.counter(N2)).isEqualTo(1);
  }

  private static void assertInvalid(byte[] token, String message) {
    assertThatThrownBy(() -> ContextCodec.decode(new Context(Bytes.of(token))))
        .isInstanceOfSatisfying(InvalidContextException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONTEXT))
        .hasMessageStartingWith("invalid context: ")
        .hasMessageContaining(message);
  }

  /** A node id field: its length, then its UTF-8 bytes. */
  private static byte[] id(String node) {
    byte[] utf8 = node.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[utf8.length + 1];
    out[0] = (byte) utf8.length;
    System.arraycopy(utf8, 0, out, 1, utf8.length);
    return out;
  }

  /** Ints as bytes, byte arrays spliced in. */
  private static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      if (part instanceof byte[] b) {
        out.writeBytes(b);
      } else if (part instanceof Character ch) {
        out.write(ch);
      } else {
        out.write((Integer) part);
      }
    }
    return out.toByteArray();
  }
}
