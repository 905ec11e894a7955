package io.ringkv.transport.netty.peer;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.MessageToMessageCodec;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.RingkvException;
import io.ringkv.transport.netty.internal.proto.Envelope;
import java.io.IOException;
import java.util.List;

/**
 * Frames to envelopes and back, behind Netty's length-field framing (a 4-byte length, then one
 * {@link Envelope}). Decoding parses straight from the frame buffer (values alias it while they
 * are mapped) and maps to {@link Frame} before the buffer is released; encoding writes the
 * envelope into one buffer of exactly its size.
 *
 * <p>A frame that is not an envelope fails the channel ({@link CorruptedFrameException}); one
 * longer than the maximum fails it as soon as its length is read. An outgoing message over the
 * maximum is refused at write ({@link ErrorCode#TOO_LARGE}) and the connection stays up.
 */
final class FrameCodec extends MessageToMessageCodec<ByteBuf, Frame> {
  static final int LENGTH_BYTES = 4;

  private final int maxFrameBytes;

  FrameCodec(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Installs framing and this codec at the head of a node-to-node pipeline. */
  static void install(ChannelPipeline p, int maxFrameBytes) {
    p.addLast("frame-decoder", new LengthFieldBasedFrameDecoder(
        maxFrameBytes + LENGTH_BYTES, 0, LENGTH_BYTES, 0, LENGTH_BYTES, true));
    p.addLast("frame-prepender", new LengthFieldPrepender(LENGTH_BYTES));
    p.addLast("frame-codec", new FrameCodec(maxFrameBytes));
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Frame frame, List<Object> out) throws IOException {
    Envelope envelope = WireMapping.toEnvelope(frame);
    int size = envelope.getSerializedSize();
    if (size > maxFrameBytes) {
      throw new RingkvException(ErrorCode.TOO_LARGE, "message of " + size
          + " bytes exceeds the maximum frame size of " + maxFrameBytes + " bytes");
    }
    ByteBuf buf = ctx.alloc().ioBuffer(size);
    try {
      CodedOutputStream cos = CodedOutputStream.newInstance(buf.nioBuffer(buf.writerIndex(), size));
      envelope.writeTo(cos);
      cos.checkNoSpaceLeft();
      buf.writerIndex(buf.writerIndex() + size);
      out.add(buf);
      buf = null;
    } finally {
      if (buf != null) {
        buf.release();
      }
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
    out.add(decode(frame));
  }

  /** Parses one frame's envelope and maps it, while {@code frame} is still alive. */
  static Frame decode(ByteBuf frame) {
    int length = frame.readableBytes();
    CodedInputStream in;
    if (frame.hasArray()) {
      in = CodedInputStream.newInstance(frame.array(), frame.arrayOffset() + frame.readerIndex(),
          length);
    } else if (frame.nioBufferCount() == 1) {
      in = CodedInputStream.newInstance(frame.nioBuffer());
    } else {
      in = CodedInputStream.newInstance(ByteBufUtil.getBytes(frame));
    }
    in.enableAliasing(true);
    Envelope envelope;
    try {
      envelope = Envelope.parseFrom(in);
    } catch (IOException e) { // InvalidProtocolBufferException, or a truncated stream
      throw new CorruptedFrameException("frame of " + length
          + " bytes is not a ringkv envelope: " + e.getMessage(), e);
    }
    return WireMapping.fromEnvelope(envelope);
  }
}
