package io.ringkv.transport.netty.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.RequestOptions;
import io.ringkv.api.RingkvException;
import io.ringkv.api.Siblings;
import io.ringkv.api.VectorClock;
import io.ringkv.replication.api.ReplicaRequest;
import io.ringkv.replication.api.ReplicaResponse;
import io.ringkv.transport.netty.Versions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The framing and codec stages of a node-to-node pipeline, on {@link EmbeddedChannel}s. */
class FrameCodecTest {
  private static final int MAX = 4096;
  private final EmbeddedChannel sender = channel();
  private final EmbeddedChannel receiver = channel();

  private static EmbeddedChannel channel() {
    EmbeddedChannel ch = new EmbeddedChannel();
    FrameCodec.install(ch.pipeline(), MAX);
    return ch;
  }

  @AfterEach
  void close() {
    sender.finishAndReleaseAll();
    receiver.finishAndReleaseAll();
  }

  /** Moves every byte the sender wrote to the receiver, in pieces of {@code chunk} bytes. */
  private void transfer(int chunk) {
    ByteBuf all = Unpooled.buffer();
    for (ByteBuf b = sender.readOutbound(); b != null; b = sender.readOutbound()) {
      all.writeBytes(b);
      b.release();
    }
    while (all.isReadable()) {
      receiver.writeInbound(all.readRetainedSlice(Math.min(chunk, all.readableBytes())));
    }
    all.release();
  }

  @Test
  void framesSurviveFramingEvenWhenSplitIntoTinyReads() {
    Key key = Key.of("b", "k");
    Frame.Request put = new Frame.Request(1, NodeId.of("n1"), new ReplicaRequest.CoordinatePut(
        key, VectorClock.empty(), Bytes.utf8("v".repeat(1000)), false, RequestOptions.DEFAULT));
    Frame.Response fetched = new Frame.Response(2, new ReplicaResponse.Fetched(Siblings.of(
        Versions.history(3))));
    sender.writeOutbound(put, fetched);
    transfer(7);
    assertThat((Frame) receiver.readInbound()).isEqualTo(put);
    assertThat((Frame) receiver.readInbound()).isEqualTo(fetched);
    assertThat((Object) receiver.readInbound()).isNull();
  }

  @Test
  void aFrameLongerThanTheMaximumFailsAsSoonAsItsLengthIsRead() {
    ByteBuf header = Unpooled.buffer().writeInt(MAX + 1);
    assertThatThrownBy(() -> receiver.writeInbound(header))
        .isInstanceOf(TooLongFrameException.class);
  }

  @Test
  void aFrameOfExactlyTheMaximumIsAccepted() {
    // An envelope whose serialized size is exactly MAX: a gossip payload padded to fit.
    byte[] payload = new byte[MAX - 10];
    int size = WireMapping.toEnvelope(new Frame.GossipRequest(1, payload)).getSerializedSize();
    payload = new byte[payload.length + (MAX - size)];
    assertThat(WireMapping.toEnvelope(new Frame.GossipRequest(1, payload)).getSerializedSize())
        .isEqualTo(MAX);
    sender.writeOutbound(new Frame.GossipRequest(1, payload));
    transfer(1024);
    Frame.GossipRequest got = receiver.readInbound();
    assertThat(got.payload()).hasSize(payload.length);
  }

  @Test
  void garbageThatIsNoEnvelopeIsACorruptFrame() {
    ByteBuf garbage = Unpooled.buffer().writeInt(6).writeBytes(new byte[] {(byte) 0xff, (byte) 0xff,
        (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
    assertThatThrownBy(() -> receiver.writeInbound(garbage))
        .isInstanceOf(CorruptedFrameException.class)
        .hasMessageContaining("is not a ringkv envelope");
  }

  @Test
  void anOutgoingMessageOverTheMaximumFailsItsWriteAndNothingIsSent() {
    Frame big = new Frame.GossipRequest(1, new byte[MAX + 1]);
    ChannelFuture f = sender.writeOneOutbound(big);
    sender.flushOutbound();
    assertThat(f.isSuccess()).isFalse();
    assertThat(f.cause()).isInstanceOf(EncoderException.class);
    assertThat(f.cause().getCause()).isInstanceOf(RingkvException.class)
        .hasMessageContaining("exceeds the maximum frame size of " + MAX);
    assertThat(((RingkvException) f.cause().getCause()).code()).isEqualTo(ErrorCode.TOO_LARGE);
    assertThat((Object) sender.readOutbound()).isNull();
    assertThat(sender.isActive()).as("the connection stays up").isTrue();
  }
}
