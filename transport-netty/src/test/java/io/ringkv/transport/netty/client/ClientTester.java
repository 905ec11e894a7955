package io.ringkv.transport.netty.client;

import com.google.protobuf.InvalidProtocolBufferException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.ringkv.api.KvStore;
import io.ringkv.protocol.proto.Request;
import io.ringkv.protocol.proto.Response;
import io.ringkv.transport.netty.internal.KeyRequests;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The client protocol pipeline of one connection on an {@link EmbeddedChannel}, driven through
 * real frames: requests go in as length-prefixed bytes (whole, in pieces, or raw garbage), the
 * bytes the node writes back are split into frames and parsed as {@link Response}s.
 */
final class ClientTester implements AutoCloseable {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final EmbeddedChannel server = new EmbeddedChannel();
  private final ByteBuf written = Unpooled.buffer();
  private final List<Response> received = new ArrayList<>();

  ClientTester(KvStore store, ClientView cluster, ClientSettings settings) {
    ClientProtocolServer.install(server.pipeline(), settings,
        new KeyRequests(store, settings.maxKeyBytes(), settings.maxValueBytes()), cluster,
        new ClientMetrics(registry));
  }

  /** A frame: the length, then the bytes. */
  static byte[] frame(byte[] message) {
    return ByteBuffer.allocate(4 + message.length).putInt(message.length).put(message).array();
  }

  /** Sends one request and returns every response written by then. */
  List<Response> send(Request request) {
    return sendRaw(frame(request.toByteArray()));
  }

  /** Sends one request and returns its one response (fails if there is not exactly one). */
  Response call(Request request) {
    List<Response> r = send(request);
    if (r.size() != 1) {
      throw new AssertionError("expected one response to " + request + ", got " + r);
    }
    return r.get(0);
  }

  List<Response> sendRaw(byte[] bytes) {
    server.writeInbound(Unpooled.wrappedBuffer(bytes));
    return responses();
  }

  /** Every response written since the last call. */
  List<Response> responses() {
    server.runPendingTasks();
    for (ByteBuf b = server.readOutbound(); b != null; b = server.readOutbound()) {
      written.writeBytes(b);
      b.release();
    }
    while (written.readableBytes() >= 4) {
      int length = written.getInt(written.readerIndex());
      if (written.readableBytes() < 4 + length) {
        break;
      }
      written.skipBytes(4);
      byte[] message = new byte[length];
      written.readBytes(message);
      try {
        received.add(Response.parseFrom(message));
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError("the node wrote a frame that is not a Response", e);
      }
    }
    written.discardReadBytes();
    List<Response> out = List.copyOf(received);
    received.clear();
    return out;
  }

  @Override
  public void close() {
    server.finishAndReleaseAll();
    written.release();
  }
}
