package io.ringkv.ycsb;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import site.ycsb.ByteArrayByteIterator;
import site.ycsb.ByteIterator;

/**
 * A YCSB record (field name to value) as one stored value, the same bytes for ringkv and Redis:
 * {@code count:u16 { nameLength:u16 name-utf8 valueLength:u32 value }}.
 */
final class Fields {
  private Fields() {
  }

  static byte[] encode(Map<String, ByteIterator> values) {
    byte[][] names = new byte[values.size()][];
    byte[][] data = new byte[values.size()][];
    int size = 2;
    int i = 0;
    for (Map.Entry<String, ByteIterator> e : values.entrySet()) {
      names[i] = e.getKey().getBytes(StandardCharsets.UTF_8);
      data[i] = e.getValue().toArray();
      size += 2 + names[i].length + 4 + data[i].length;
      i++;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.putShort((short) names.length);
    for (i = 0; i < names.length; i++) {
      out.putShort((short) names[i].length).put(names[i]).putInt(data[i].length).put(data[i]);
    }
    return out.array();
  }

  /**
   * Adds the record's fields to {@code result}: those named in {@code wanted}, or all when it is
   * null (YCSB's convention).
   *
   * @throws IllegalArgumentException when the bytes are not a record
   */
  static void decode(byte[] record, Set<String> wanted, Map<String, ByteIterator> result) {
    try {
      ByteBuffer in = ByteBuffer.wrap(record);
      int count = in.getShort() & 0xffff;
      for (int i = 0; i < count; i++) {
        byte[] name = new byte[in.getShort() & 0xffff];
        in.get(name);
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
          throw new IllegalArgumentException("the value is not a YCSB record: it ends early, "
              + "in a field of " + length + " bytes with " + in.remaining() + " left");
        }
        String field = new String(name, StandardCharsets.UTF_8);
        if (wanted == null || wanted.contains(field)) {
          result.put(field, new ByteArrayByteIterator(record, in.position(), length));
        }
        in.position(in.position() + length);
      }
      if (in.hasRemaining()) {
        throw new IllegalArgumentException(in.remaining() + " bytes after the last field");
      }
    } catch (java.nio.BufferUnderflowException e) {
      throw new IllegalArgumentException("the value is not a YCSB record: it ends early", e);
    }
  }
}
