package io.ringkv.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the byte stream of a client connection into frames: a 4-byte big-endian length, then that
 * many bytes. Passes each frame on as a {@link ByteBuf}; a frame over the limit is never buffered:
 * its bytes are skipped as they arrive and, once its last byte is gone, an {@link Oversized} is
 * passed on instead, with the request id read from the frame's first bytes when the frame starts
 * with it (field 1, as every protobuf serializer writes it first), so the request it was can be
 * answered. The frames after it are read as usual.
 */
public final class ClientFrameDecoder extends ByteToMessageDecoder {
  /** The length prefix and as much of a frame as the id can take (tag and a 10-byte varint). */
  private static final int PEEK_BYTES = 11;

  /** A frame of {@code length} bytes over the {@code limit}; {@code id} 0 when it did not say. */
  public record Oversized(long id, long length, int limit) {}

  private final int maxFrameBytes;
  private long skipping;
  private Oversized pending;

  public ClientFrameDecoder(int maxFrameBytes) {
    if (maxFrameBytes < 64) {
      throw new IllegalArgumentException("a frame limit of " + maxFrameBytes
          + " bytes is too small: it must be at least 64");
    }
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (true) {
      if (skipping > 0) {
        int n = (int) Math.min(skipping, in.readableBytes());
        in.skipBytes(n);
        skipping -= n;
        if (skipping > 0) {
          return;
        }
        out.add(pending);
        pending = null;
      }
      if (in.readableBytes() < 4) {
        return;
      }
      long length = in.getUnsignedInt(in.readerIndex());
      if (length > maxFrameBytes) {
        int peek = (int) Math.min(length, PEEK_BYTES);
        if (in.readableBytes() < 4 + peek) {
          return;
        }
        long id = leadingId(in, in.readerIndex() + 4, peek);
        in.skipBytes(4);
        pending = new Oversized(id, length, maxFrameBytes);
        skipping = length;
        continue;
      }
      if (in.readableBytes() < 4 + length) {
        return;
      }
      in.skipBytes(4);
      out.add(in.readRetainedSlice((int) length));
    }
  }

  /** The varint of field 1 if the bytes start with its tag (0x08), else 0. */
  static long leadingId(ByteBuf buf, int from, int available) {
    if (available < 2 || buf.getByte(from) != 0x08) {
      return 0;
    }
    long value = 0;
    for (int i = 1, shift = 0; i < available && shift < 64; i++, shift += 7) {
      byte b = buf.getByte(from + i);
      value |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    return 0;
  }
}
