package io.ringkv.protocol;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldPrepender;

/**
 * The framing of the binary client protocol: each frame is a 4-byte big-endian length, then that
 * many bytes of one protobuf {@code Request} or {@code Response} ({@code ringkv_client.proto}).
 * {@link #install} adds the framing handlers to a pipeline: the handler after them reads and
 * writes whole frames as {@code ByteBuf}s and parses them itself, so a frame that is not a
 * message becomes an error answer instead of a dead connection.
 *
 * <p>A frame over the limit is skipped whole, never buffered, and reported as a
 * {@link ClientFrameDecoder.Oversized} (with the request's id when it leads the frame) after its
 * last byte, so the connection stays usable: the frames after it are read as usual.
 */
public final class ClientFrames {
  /**
   * The largest response frame a client takes by default: 256 MiB, room for the siblings of a key
   * as large as a storage engine holds. (A node's limit on requests follows from its value limit.)
   */
  public static final int DEFAULT_MAX_FRAME_BYTES = 256 * 1024 * 1024;
  /** The names of the framing handlers in the pipeline. */
  public static final String DECODER = "client-frame-decoder";
  public static final String ENCODER = "client-frame-encoder";

  private ClientFrames() {}

  public static void install(ChannelPipeline pipeline, int maxFrameBytes) {
    pipeline.addLast(DECODER, new ClientFrameDecoder(maxFrameBytes));
    pipeline.addLast(ENCODER, new LengthFieldPrepender(4));
  }
}
