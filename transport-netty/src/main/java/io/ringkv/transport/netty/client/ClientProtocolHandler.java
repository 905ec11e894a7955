package io.ringkv.transport.netty.client;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.InvalidContextException;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.RequestOptions;
import io.ringkv.api.RingkvException;
import io.ringkv.protocol.ClientFrameDecoder;
import io.ringkv.protocol.ClientMapping;
import io.ringkv.protocol.proto.DeleteRequest;
import io.ringkv.protocol.proto.GetRequest;
import io.ringkv.protocol.proto.PutRequest;
import io.ringkv.protocol.proto.Request;
import io.ringkv.protocol.proto.Response;
import io.ringkv.protocol.proto.RingResponse;
import io.ringkv.transport.netty.internal.Flusher;
import io.ringkv.transport.netty.internal.KeyRequests;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection of the binary protocol: reads whole frames, runs each request through the
 * node's {@link KeyRequests} (the rules every protocol shares), and answers each with a frame of
 * the same id as soon as it is done, in whatever order. Bad input is answered, never fatal: a
 * frame that is not a request (or a request of id 0) gets an error frame of id 0; a request that
 * names no operation or reuses an id still in flight gets an error frame of its id (the request
 * in flight is answered too, later, under the same id); a frame over the limit gets a TOO_LARGE
 * error frame of the id read from its first bytes (0 when none), its bytes skipped whole. The
 * connection goes on in every case.
 */
final class ClientProtocolHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ClientProtocolHandler.class);

  private final KeyRequests requests;
  private final ClientView cluster;
  private final ClientMetrics metrics;
  private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
  /** Answers leave in one flush per burst, from whichever thread completes them. */
  private volatile Flusher flusher;

  /**
   * Requests a connection may have in flight before the node stops reading from it (TCP then
   * slows the client down); reading resumes when half of them are answered.
   */
  static final int MAX_IN_FLIGHT = 1024;

  ClientProtocolHandler(KeyRequests requests, ClientView cluster, ClientMetrics metrics) {
    this.requests = requests;
    this.cluster = cluster;
    this.metrics = metrics;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    flusher = new Flusher(ctx.channel());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ClientFrameDecoder.Oversized o) {
      answer(ctx, o.id(), "malformed", Response.newBuilder().setError(
          io.ringkv.protocol.proto.Error.newBuilder()
              .setCode(io.ringkv.protocol.proto.ErrorCode.TOO_LARGE)
              .setMessage("a frame of " + o.length() + " bytes is over this node's limit of "
                  + o.limit() + " bytes (the largest key and value and 64 KiB); it was skipped")));
      return;
    }
    ByteBuf frame = (ByteBuf) msg;
    Request request;
    try (ByteBufInputStream in = new ByteBufInputStream(frame, true)) {
      request = Request.parseFrom(in);
    } catch (InvalidProtocolBufferException e) {
      answer(ctx, 0, "malformed", protocolError(
          "a frame that is not a request: " + e.getMessage()));
      return;
    } catch (IOException e) {
      answer(ctx, 0, "malformed", protocolError(
          "a frame that cannot be read: " + e.getMessage()));
      return;
    }
    long id = request.getId();
    String op = request.getOpCase() == Request.OpCase.OP_NOT_SET ? "none"
        : request.getOpCase().name().toLowerCase(java.util.Locale.ROOT);
    if (id == 0) {
      answer(ctx, 0, op, protocolError("request id 0 is reserved (it "
          + "answers frames that could not be read): number requests from 1"));
      return;
    }
    if (request.getOpCase() == Request.OpCase.OP_NOT_SET) {
      answer(ctx, id, op, protocolError("request " + id
          + " names no operation (one of get, put, delete, ring; an operation of a newer "
          + "protocol?)"));
      return;
    }
    if (!inFlight.add(id)) {
      answer(ctx, id, op, protocolError("request id " + id
          + " is already in flight on this connection: ids must be unique among the requests "
          + "awaiting an answer"), false);
      return;
    }
    if (inFlight.size() >= MAX_IN_FLIGHT) {
      ctx.channel().config().setAutoRead(false);
    }
    long started = System.nanoTime();
    CompletableFuture<Response.Builder> outcome;
    try {
      outcome = dispatch(request);
    } catch (RuntimeException e) {
      outcome = CompletableFuture.failedFuture(e);
    }
    outcome.exceptionally(ClientProtocolHandler::failure).thenAccept(b -> {
      metrics.record(op, b, System.nanoTime() - started);
      inFlight.remove(id);
      answer(ctx, id, b);
      if (inFlight.size() <= MAX_IN_FLIGHT / 2 && !ctx.channel().config().isAutoRead()) {
        ctx.channel().config().setAutoRead(true);
      }
    });
  }

  private CompletableFuture<Response.Builder> dispatch(Request request) {
    switch (request.getOpCase()) {
      case GET:
        return get(request.getGet());
      case PUT:
        return put(request.getPut());
      case DELETE:
        return delete(request.getDelete());
      case RING:
        return CompletableFuture.completedFuture(Response.newBuilder().setRing(ring()));
      default:
        throw new AssertionError("unhandled operation " + request.getOpCase());
    }
  }

  private CompletableFuture<Response.Builder> get(GetRequest g) {
    Key key = requests.key(g.getBucket(), g.getKey());
    RequestOptions options = withTimeout(KeyRequests.readOptions(
        g.hasR() ? g.getR() : null, g.hasPr() ? g.getPr() : null), g.getTimeoutMs());
    return requests.get(key, options)
        .thenApply(r -> Response.newBuilder().setGet(ClientMapping.toProto(r)));
  }

  private CompletableFuture<Response.Builder> put(PutRequest p) {
    Key key = requests.key(p.getBucket(), p.getKey());
    requests.checkValue(p.getValue().size());
    RequestOptions options = withTimeout(KeyRequests.writeOptions(
        p.hasW() ? p.getW() : null, p.hasPw() ? p.getPw() : null), p.getTimeoutMs());
    Context context = KeyRequests.context(p.getContext().toByteArray());
    return namingTheField(context, requests.put(key, context, ClientMapping.bytes(p.getValue()),
        options)).thenApply(r -> Response.newBuilder().setPut(ClientMapping.toProto(r)));
  }

  private CompletableFuture<Response.Builder> delete(DeleteRequest d) {
    Key key = requests.key(d.getBucket(), d.getKey());
    RequestOptions options = withTimeout(KeyRequests.writeOptions(
        d.hasW() ? d.getW() : null, d.hasPw() ? d.getPw() : null), d.getTimeoutMs());
    Context context = d.hasContext() ? KeyRequests.context(d.getContext().toByteArray()) : null;
    return namingTheField(context, requests.delete(key, context, options))
        .thenApply(r -> Response.newBuilder().setDelete(ClientMapping.toProto(r)));
  }

  private RingResponse ring() {
    ClientView.RingInfo info = cluster.ring();
    RingResponse.Builder b = RingResponse.newBuilder().setVersion(info.version())
        .setDefaultN(info.defaultN()).putAllBucketN(info.bucketN());
    for (NodeId owner : info.ring().owners()) {
      b.addOwners(owner.value());
    }
    for (ClientView.Node n : info.nodes()) {
      b.addNodes(io.ringkv.protocol.proto.Node.newBuilder().setId(n.id().value())
          .setHost(n.host()).setClientPort(n.clientPort()).setUp(n.up()));
    }
    return b.build();
  }

  private static RequestOptions withTimeout(RequestOptions o, long timeoutMs) {
    if (timeoutMs < 0) {
      throw new RingkvException(ErrorCode.INVALID_ARGUMENT, "timeout_ms "
          + Long.toUnsignedString(timeoutMs) + " is out of range");
    }
    return timeoutMs == 0 ? o : o.withTimeout(Duration.ofMillis(timeoutMs));
  }

  /** A refused context is reported as the context field's fault, as HTTP names its header. */
  private static <T> CompletableFuture<T> namingTheField(Context context, CompletableFuture<T> f) {
    return KeyRequests.namingTheContext(f, e -> {
      String shown = context == null ? "" : Base64.getUrlEncoder().withoutPadding()
          .encodeToString(context.token().toByteArray());
      return KeyRequests.badContext("the context field", shown.length() > 40
          ? shown.substring(0, 40) + "..." : shown, e);
    });
  }

  private static Response.Builder failure(Throwable error) {
    io.ringkv.protocol.proto.Error e = ClientMapping.toProto(error);
    if (e.getCode() == io.ringkv.protocol.proto.ErrorCode.INTERNAL) {
      log.error("a client request failed inside ringkv", error);
    }
    return Response.newBuilder().setError(e);
  }

  /** A PROTOCOL error: a frame that is not a request, or a request the protocol refuses. */
  private static Response.Builder protocolError(String message) {
    return Response.newBuilder().setError(io.ringkv.protocol.proto.Error.newBuilder()
        .setCode(io.ringkv.protocol.proto.ErrorCode.PROTOCOL).setMessage(message));
  }

  private void answer(ChannelHandlerContext ctx, long id, String op, Response.Builder b) {
    answer(ctx, id, op, b, true);
  }

  private void answer(ChannelHandlerContext ctx, long id, String op, Response.Builder b,
      boolean count) {
    if (count) {
      metrics.record(op, b, 0);
    }
    answer(ctx, id, b);
  }

  private void answer(ChannelHandlerContext ctx, long id, Response.Builder b) {
    Response response = b.setId(id).setRingVersion(cluster.ringVersion()).build();
    ByteBuf out = ctx.alloc().buffer(response.getSerializedSize());
    try (ByteBufOutputStream stream = new ByteBufOutputStream(out)) {
      response.writeTo(stream);
    } catch (IOException e) {
      out.release();
      throw new IllegalStateException("cannot happen with a ByteBuf", e);
    }
    flusher.write(out);
  }

  /**
   * Flushes the answers written during this read at once (the flusher's drain would too, a little
   * later): they reach the client even when it half-closed after its requests, since Netty closes
   * such a connection before its queued tasks run.
   */
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
    ctx.fireChannelReadComplete();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("closing the client connection from {}: {}", ctx.channel().remoteAddress(),
        cause.toString());
    ctx.close();
  }

  /** The value's bytes of a put, for tests. */
  static Bytes value(PutRequest p) {
    return ClientMapping.bytes(p.getValue());
  }
}
