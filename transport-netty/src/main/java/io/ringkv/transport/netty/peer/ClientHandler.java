package io.ringkv.transport.netty.peer;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.RingkvException;
import io.ringkv.transport.netty.internal.Flusher;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The asking end of one node-to-node connection: a table of calls by correlation id, answered in
 * whatever order the peer replies. When the connection ends (closed by the peer, a garbage or
 * oversized frame, this node shutting down) every call still waiting fails with the reason.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ClientHandler.class);

  private final String peer;
  private final Map<Long, Call> calls = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private volatile String closeReason = "the connection closed";
  private volatile Flusher flusher;

  ClientHandler(String peer) {
    this.peer = peer;
  }

  /** Sends {@code call} on {@code channel} (whose pipeline holds this handler). */
  void send(Channel channel, Call call) {
    calls.put(call.id, call);
    if (closed && calls.remove(call.id, call)) {
      call.fail(closedError(call));
      return;
    }
    call.sentOn(this, channel.eventLoop());
    flusher.write(call.frame()).addListener(call);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    flusher = new Flusher(ctx.channel());
  }

  boolean remove(Call call) {
    return calls.remove(call.id, call);
  }

  int waiting() {
    return calls.size();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Frame frame = (Frame) msg;
    Call call = calls.remove(frame.id());
    if (call != null) {
      call.answer(frame);
    } else if (frame instanceof Frame.Malformed m) {
      protocolError(ctx, "a malformed frame from " + peer + ": " + m.reason());
    } else {
      log.debug("answer {} from {} came after its call was settled (timed out?)", frame.id(), peer);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Netty wraps what a decoder throws in a plain DecoderException; ours are subclasses.
    Throwable c = cause.getClass() == DecoderException.class && cause.getCause() != null
        ? cause.getCause() : cause;
    if (c instanceof TooLongFrameException || c instanceof CorruptedFrameException) {
      protocolError(ctx, peer + " broke the protocol: " + c.getMessage());
    } else {
      closeReason = "the connection to " + peer + " failed: " + c;
      log.debug("connection to {} failed", peer, c);
      ctx.close();
    }
  }

  private void protocolError(ChannelHandlerContext ctx, String reason) {
    closeReason = reason;
    log.warn("closing the connection to {}: {}", peer, reason);
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    closed = true;
    for (Call call : calls.values()) {
      if (calls.remove(call.id, call)) {
        call.fail(closedError(call));
      }
    }
    super.channelInactive(ctx);
  }

  private RingkvException closedError(Call call) {
    return new RingkvException(ErrorCode.UNAVAILABLE, peer + " did not answer " + call.what()
        + ": " + closeReason);
  }
}
