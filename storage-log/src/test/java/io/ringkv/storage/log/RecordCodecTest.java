package io.ringkv.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.Actor;
import io.ringkv.api.Bytes;
import io.ringkv.api.Dot;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.LongStream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The record format: every field round-trips, and damage is always detected. */
class RecordCodecTest {
  static LongStream seeds() {
    return LongStream.range(0, 200);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void aPutRecordRoundTripsKeyAndEveryFieldOfEveryVersion(long seed) {
    Random random = new Random(seed);
    Key key = randomKey(random);
    Siblings siblings = randomSiblings(random);
    byte[] keyBytes = RecordCodec.encodeKey(key);

    byte[] record = RecordCodec.encodePut(keyBytes, siblings);

    assertThat(RecordCodec.verify(record, record.length)).isEqualTo(RecordCodec.TYPE_PUT);
    assertThat(RecordCodec.hasKey(record, record.length, keyBytes)).isTrue();
    assertThat(RecordCodec.keyBytes(record, record.length)).isEqualTo(keyBytes);
    assertThat(RecordCodec.decodeKey(record, record.length)).isEqualTo(key);
    Siblings decoded = RecordCodec.decodeSiblings(record, record.length);
    assertThat(decoded).isEqualTo(siblings);
    for (int i = 0; i < siblings.size(); i++) {
      assertThat(decoded.versions().get(i).context().entries()).as("timestamps of clock entries")
          .isEqualTo(siblings.versions().get(i).context().entries());
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void anyDamagedOrTruncatedRecordFailsItsCheck(long seed) {
    Random random = new Random(seed);
    byte[] record = RecordCodec.encodePut(RecordCodec.encodeKey(randomKey(random)), randomSiblings(random));

    byte[] flipped = record.clone();
    int at = random.nextInt(flipped.length);
    flipped[at] ^= (byte) (1 + random.nextInt(255));
    int cut = random.nextInt(record.length);

    assertThatThrownBy(() -> RecordCodec.verify(flipped, flipped.length)).isInstanceOf(CorruptRecordException.class);
    assertThatThrownBy(() -> RecordCodec.verify(record, cut)).isInstanceOf(CorruptRecordException.class);
    byte[] zeroTail = record.clone();
    Arrays.fill(zeroTail, Math.max(4, cut), zeroTail.length, (byte) 0x5A);
    assertThatThrownBy(() -> RecordCodec.verify(zeroTail, zeroTail.length)).isInstanceOf(CorruptRecordException.class);
  }

  @Test
  void aRemoveRecordHoldsTheKeyOnly() {
    Key key = Key.of("b", "ключ-✓");
    byte[] keyBytes = RecordCodec.encodeKey(key);

    byte[] record = RecordCodec.encodeRemove(keyBytes);

    assertThat(RecordCodec.verify(record, record.length)).isEqualTo(RecordCodec.TYPE_REMOVE);
    assertThat(RecordCodec.decodeKey(record, record.length)).isEqualTo(key);
    assertThat(record).hasSize(RecordCodec.KEY_OFFSET + keyBytes.length);
  }

  @Test
  void aWellSealedRecordThatBreaksTheFormatIsStillRejected() {
    byte[] keyBytes = RecordCodec.encodeKey(Key.of("b", "k"));
    byte[] good = RecordCodec.encodePut(keyBytes, Fixtures.version(1, "v"));

    byte[] newerFormat = good.clone();
    newerFormat[4] = 2;
    byte[] unknownType = good.clone();
    unknownType[5] = 9;
    byte[] trailing = Arrays.copyOf(good, good.length + 1);
    byte[] noVersions = Arrays.copyOf(good, RecordCodec.KEY_OFFSET + keyBytes.length + 1 + 1 + 6 + 1 + 1);
    noVersions[noVersions.length - 1] = 0; // 1 actor ("writer", epoch 1), then 0 versions

    assertThatThrownBy(() -> RecordCodec.verify(reseal(newerFormat), newerFormat.length))
        .isInstanceOf(CorruptRecordException.class).hasMessageContaining("format version 2");
    assertThatThrownBy(() -> RecordCodec.verify(reseal(unknownType), unknownType.length))
        .isInstanceOf(CorruptRecordException.class).hasMessageContaining("type 9");
    assertThatThrownBy(() -> RecordCodec.decodeSiblings(reseal(trailing), trailing.length))
        .isInstanceOf(CorruptRecordException.class).hasMessageContaining("left over");
    assertThatThrownBy(() -> RecordCodec.decodeSiblings(reseal(noVersions), noVersions.length))
        .isInstanceOf(CorruptRecordException.class).hasMessageContaining("no version");
  }

  @Test
  void equalKeysHaveEqualEncodingsAndDifferentKeysDifferentOnes() {
    assertThat(RecordCodec.encodeKey(Key.of("a", "bc"))).isEqualTo(RecordCodec.encodeKey(Key.of("a", "bc")));
    assertThat(RecordCodec.encodeKey(Key.of("a", "bc"))).isNotEqualTo(RecordCodec.encodeKey(Key.of("ab", "c")));
  }

  private static byte[] reseal(byte[] record) {
    CRC32C crc = new CRC32C();
    crc.update(record, 4, record.length - 4);
    int c = (int) crc.getValue();
    record[0] = (byte) (c >>> 24);
    record[1] = (byte) (c >>> 16);
    record[2] = (byte) (c >>> 8);
    record[3] = (byte) c;
    return record;
  }

  static Key randomKey(Random random) {
    StringBuilder key = new StringBuilder();
    for (int i = 1 + random.nextInt(40); i > 0; i--) {
      key.append(random.nextInt(4) == 0 ? (char) (0x400 + random.nextInt(200)) : (char) ('a' + random.nextInt(26)));
    }
    return Key.of("bucket-" + random.nextInt(5), key.toString());
  }

  static Siblings randomSiblings(Random random) {
    List<Actor> actors = new ArrayList<>();
    for (int i = 1 + random.nextInt(4); i > 0; i--) {
      actors.add(new Actor(NodeId.of("node-" + random.nextInt(10) + ".example:7000"), random.nextInt(3) == 0
          ? Long.MAX_VALUE - random.nextInt(5) : random.nextInt(1000)));
    }
    List<Versioned<Bytes>> versions = new ArrayList<>();
    for (int i = 1 + random.nextInt(4); i > 0; i--) {
      Actor actor = actors.get(random.nextInt(actors.size()));
      Dot dot = new Dot(actor, 1 + random.nextInt(1_000_000));
      TreeMap<Actor, VectorClock.Entry> context = new TreeMap<>();
      for (Actor other : actors) {
        if (other != actor && random.nextBoolean()) {
          context.put(other, new VectorClock.Entry(1 + random.nextInt(50), random.nextLong()));
        }
      }
      byte[] value = new byte[random.nextInt(5) == 0 ? 0 : random.nextInt(3000)];
      random.nextBytes(value);
      boolean tombstone = random.nextInt(5) == 0;
      long timestamp = random.nextInt(4) == 0 ? Long.MIN_VALUE + random.nextInt(3) : random.nextLong();
      versions.add(new Versioned<>(tombstone ? Bytes.EMPTY : Bytes.of(value), dot, new VectorClock(context), timestamp,
          tombstone));
    }
    return Siblings.of(versions);
  }
}
