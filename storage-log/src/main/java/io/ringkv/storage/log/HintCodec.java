package io.ringkv.storage.log;

import io.ringkv.api.Key;
import io.ringkv.api.Siblings;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A hint's record in its target's queue, format 1: the engine's PUT record of the hint's key and
 * versions ({@link RecordCodec}, with its own CRC32C over the key and the versions), then a
 * fixed trailer:
 * <pre>
 * hint    = put  sequence:u64be  createdMillis:u64be  format:u8 (=1)  crc32c:u32be
 *           (this CRC32C covers the put's own checksum and the trailer fields before it, so
 *           with the put's it covers every byte of the record)
 * </pre>
 * The trailer is sealed last ({@link #seal}), under the queue's lock, so the values are encoded
 * (and checksummed) before it is taken. Decoding checks both checksums, the formats and every rule
 * of the put record; anything off is a {@link CorruptRecordException}.
 */
final class HintCodec {
  static final int FORMAT_VERSION = 1;
  /** Bytes after the put record. */
  static final int TRAILER = 8 + 8 + 1 + 4;

  /** What the trailer says, and where the put record ends. */
  record Header(long sequence, long createdMillis, int putLength) {
  }

  private HintCodec() {
  }

  /** The record of a hint, its sequence left to {@link #seal}; {@code keyBytes} is the key's encoding. */
  static byte[] encode(byte[] keyBytes, Siblings versions, long createdMillis) {
    byte[] put = RecordCodec.encodePut(keyBytes, versions);
    byte[] record = Arrays.copyOf(put, put.length + TRAILER);
    putLong(record, put.length + 8, createdMillis);
    record[put.length + 16] = FORMAT_VERSION;
    return record;
  }

  /** Fills in the hint's sequence and the trailer's checksum. */
  static void seal(byte[] record, long sequence) {
    int trailer = record.length - TRAILER;
    putLong(record, trailer, sequence);
    int crc = trailerCrc(record, trailer);
    for (int i = 0; i < 4; i++) {
      record[record.length - 4 + i] = (byte) (crc >>> (24 - 8 * i));
    }
  }

  /** Checks both checksums and the formats of the first {@code length} bytes of {@code record}. */
  static Header verify(byte[] record, int length) {
    int trailer = length - TRAILER;
    if (trailer < RecordCodec.KEY_OFFSET + 2) {
      throw new CorruptRecordException("hint record of " + length + " bytes is shorter than the smallest hint");
    }
    int stored = (int) getLong(record, length - 4, 4);
    if (stored != trailerCrc(record, trailer)) {
      throw new CorruptRecordException("hint trailer checksum mismatch");
    }
    if (record[trailer + 16] != FORMAT_VERSION) {
      throw new CorruptRecordException("hint format version " + record[trailer + 16] + " is unknown; this build reads "
          + FORMAT_VERSION);
    }
    if (RecordCodec.verify(record, trailer) != RecordCodec.TYPE_PUT) {
      throw new CorruptRecordException("a hint holds a record that is not a PUT");
    }
    long sequence = getLong(record, trailer, 8);
    if (sequence <= 0) {
      throw new CorruptRecordException("hint sequence " + sequence + " is not positive");
    }
    return new Header(sequence, getLong(record, trailer + 8, 8), trailer);
  }

  /** The key's encoding in a verified hint record (what {@link RecordCodec#encodeKey} gives). */
  static byte[] keyBytes(byte[] record, Header header) {
    return RecordCodec.keyBytes(record, header.putLength());
  }

  static Key key(byte[] record, Header header) {
    return RecordCodec.decodeKey(record, header.putLength());
  }

  static Siblings versions(byte[] record, Header header) {
    return RecordCodec.decodeSiblings(record, header.putLength());
  }

  private static int trailerCrc(byte[] record, int trailer) {
    CRC32C crc = new CRC32C();
    crc.update(record, 0, 4); // the put record's own checksum, over the rest of it
    crc.update(record, trailer, TRAILER - 4);
    return (int) crc.getValue();
  }

  private static void putLong(byte[] buf, int pos, long v) {
    for (int i = 0; i < 8; i++) {
      buf[pos + i] = (byte) (v >>> (56 - 8 * i));
    }
  }

  private static long getLong(byte[] buf, int pos, int bytes) {
    long v = 0;
    for (int i = 0; i < bytes; i++) {
      v = (v << 8) | (buf[pos + i] & 0xff);
    }
    return v;
  }
}
