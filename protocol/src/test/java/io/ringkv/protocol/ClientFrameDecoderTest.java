package io.ringkv.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.ringkv.protocol.proto.GetRequest;
import io.ringkv.protocol.proto.Request;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClientFrameDecoderTest {
  private final EmbeddedChannel channel = new EmbeddedChannel();

  {
    ClientFrames.install(channel.pipeline(), 100);
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  private static byte[] frame(byte[] body) {
    return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
  }

  private static byte[] request(long id, int keyLength) {
    return Request.newBuilder().setId(id).setGet(GetRequest.newBuilder().setBucket("b")
        .setKey("k".repeat(keyLength))).build().toByteArray();
  }

  private List<Object> feed(byte[] bytes, int chunk) {
    List<Object> out = new ArrayList<>();
    for (int at = 0; at < bytes.length; at += chunk) {
      channel.writeInbound(Unpooled.wrappedBuffer(bytes, at, Math.min(chunk, bytes.length - at)));
      for (Object o = channel.readInbound(); o != null; o = channel.readInbound()) {
        out.add(o);
      }
    }
    return out;
  }

  private static String describe(Object o) {
    if (o instanceof ByteBuf b) {
      try {
        return "frame of " + b.readableBytes();
      } finally {
        b.release();
      }
    }
    return o.toString();
  }

  @Test
  void framesUnderTheLimitPassWholeAndOneOverItIsReportedWithItsIdAfterItsLastByte() {
    byte[] small = request(1, 10);
    byte[] big = request(300, 200);
    byte[] stream = concat(frame(small), frame(big), frame(small));
    for (int chunk : new int[] {1, 3, 7, 64, stream.length}) {
      assertThat(feed(stream, chunk)).extracting(ClientFrameDecoderTest::describe).as("chunk "
          + chunk).containsExactly("frame of " + small.length,
              new ClientFrameDecoder.Oversized(300, big.length, 100).toString(),
              "frame of " + small.length);
    }
  }

  @Test
  void anOversizedFrameThatDoesNotStartWithAnIdIsReportedWithId0() {
    byte[] body = new byte[500];
    new Random(1).nextBytes(body);
    body[0] = 0x12; // field 2, length-delimited: not the id
    assertThat(feed(frame(body), 50)).containsExactly(new ClientFrameDecoder.Oversized(0, 500, 100));
  }

  @Test
  void anEmptyFrameIsAFrame() {
    assertThat(feed(frame(new byte[0]), 1)).extracting(ClientFrameDecoderTest::describe)
        .containsExactly("frame of 0");
  }

  @Test
  void theLeadingIdIsReadAsAVarint() {
    for (long id : new long[] {1, 127, 128, 300, 1L << 35, Long.MAX_VALUE, -1L}) {
      byte[] r = request(id, 0);
      assertThat(ClientFrameDecoder.leadingId(Unpooled.wrappedBuffer(r), 0, Math.min(11, r.length)))
          .isEqualTo(id);
    }
    // A varint cut short reads as no id.
    assertThat(ClientFrameDecoder.leadingId(Unpooled.wrappedBuffer(new byte[] {8, (byte) 0x80}),
        0, 2)).isZero();
  }

  @Test
  void aLimitTooSmallToHoldAnyRequestIsRefused() {
    assertThatThrownBy(() -> new ClientFrameDecoder(10)).hasMessageContaining("at least 64");
  }

  private static byte[] concat(byte[]... parts) {
    ByteBuffer b = ByteBuffer.allocate(java.util.Arrays.stream(parts).mapToInt(p -> p.length).sum());
    for (byte[] p : parts) {
      b.put(p);
    }
    return b.array();
  }
}
