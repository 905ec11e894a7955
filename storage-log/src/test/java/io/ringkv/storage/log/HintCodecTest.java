package io.ringkv.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.api.Bytes;
import io.ringkv.api.Dot;
import io.ringkv.api.Key;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.api.Versioned;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A hint's record: the round trip of every field, and any flipped byte or cut detected. */
class HintCodecTest {
  private static final Key KEY = Key.of("bucket", "key");
  private static final Siblings VERSIONS = Siblings.of(
      new Versioned<>(Bytes.utf8("value"), new Dot(Fixtures.WRITER, 2), VectorClock.empty(), 1_234, false),
      new Versioned<>(Bytes.EMPTY, new Dot(Fixtures.WRITER, 3), VectorClock.empty(), 1_235, true));

  @Test
  void everyFieldComesBack() {
    byte[] record = sealed(42, 1_700_000_000_000L);
    HintCodec.Header header = HintCodec.verify(record, record.length);

    assertThat(header.sequence()).isEqualTo(42);
    assertThat(header.createdMillis()).isEqualTo(1_700_000_000_000L);
    assertThat(header.putLength()).isEqualTo(record.length - HintCodec.TRAILER);
    assertThat(HintCodec.key(record, header)).isEqualTo(KEY);
    assertThat(HintCodec.keyBytes(record, header)).isEqualTo(RecordCodec.encodeKey(KEY));
    assertThat(HintCodec.versions(record, header)).isEqualTo(VERSIONS);
  }

  @Test
  void anyFlippedByteOrCutIsDetected() {
    byte[] record = sealed(7, 99);
    for (int i = 0; i < record.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] damaged = record.clone();
        damaged[i] ^= (byte) (1 << bit);
        assertThatThrownBy(() -> HintCodec.verify(damaged, damaged.length)).as("byte %d bit %d", i, bit)
            .isInstanceOf(CorruptRecordException.class);
      }
    }
    for (int length = 0; length < record.length; length++) {
      byte[] cut = Arrays.copyOf(record, length);
      assertThatThrownBy(() -> HintCodec.verify(cut, cut.length)).as("cut to %d", length)
          .isInstanceOf(CorruptRecordException.class);
    }
  }

  @Test
  void theSequenceSealedLastIsCoveredByTheChecksum() {
    byte[] record = HintCodec.encode(RecordCodec.encodeKey(KEY), VERSIONS, 5);
    assertThatThrownBy(() -> HintCodec.verify(record, record.length)).as("not sealed yet")
        .isInstanceOf(CorruptRecordException.class);
    HintCodec.seal(record, 1);
    HintCodec.verify(record, record.length);
    byte[] copy = record.clone();
    HintCodec.seal(copy, 2);
    assertThat(HintCodec.verify(copy, copy.length).sequence()).isEqualTo(2);
  }

  private static byte[] sealed(long sequence, long created) {
    byte[] record = HintCodec.encode(RecordCodec.encodeKey(KEY), VERSIONS, created);
    HintCodec.seal(record, sequence);
    return record;
  }
}
