package io.ringkv.transport.netty.peer;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.EncoderException;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import io.ringkv.replication.api.ReplicaRequest;
import io.ringkv.replication.api.ReplicaResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One request awaiting its answer. It is settled exactly once (answer, failure or timeout),
 * which releases its slot in the peer's in-flight budget and cancels its timer; whoever takes it
 * out of the connection's table of calls settles it. Also the listener of its own write.
 */
abstract class Call implements ChannelFutureListener {
  private static final AtomicIntegerFieldUpdater<Call> SETTLED =
      AtomicIntegerFieldUpdater.newUpdater(Call.class, "settled");

  final long id;
  final String peer;
  final long timeoutMillis;
  private PeerPool pool;
  private ClientHandler connection;
  private volatile ScheduledFuture<?> timer;
  private volatile int settled;

  Call(long id, String peer, long timeoutMillis) {
    this.id = id;
    this.peer = peer;
    this.timeoutMillis = timeoutMillis;
  }

  /** The frame to send. */
  abstract Frame frame();

  /** What the operation is, for messages. */
  abstract String what();

  abstract void onAnswer(Frame answer);

  abstract void onFailure(RingkvException error);

  /** Counted against {@code pool}'s in-flight budget from now until settled. */
  final void countedBy(PeerPool p) {
    this.pool = p;
  }

  /** Registered on a connection: arms the timeout on its event loop. */
  final void sentOn(ClientHandler handler, EventLoop loop) {
    this.connection = handler;
    ScheduledFuture<?> t = loop.schedule(this::timedOut, timeoutMillis, TimeUnit.MILLISECONDS);
    timer = t;
    if (settled != 0) {
      t.cancel(false);
    }
  }

  final void answer(Frame frame) {
    if (settle()) {
      onAnswer(frame);
    }
  }

  final void fail(RingkvException error) {
    if (settle()) {
      onFailure(error);
    }
  }

  private boolean settle() {
    if (!SETTLED.compareAndSet(this, 0, 1)) {
      return false;
    }
    ScheduledFuture<?> t = timer;
    if (t != null) {
      t.cancel(false);
    }
    if (pool != null) {
      pool.release();
    }
    return true;
  }

  private void timedOut() {
    if (connection.remove(this)) {
      fail(new RingkvException(ErrorCode.UNAVAILABLE, peer + " did not answer " + what()
          + " in " + timeoutMillis + " ms"));
    }
  }

  /** The write's outcome: a failed write fails the call (a message over the frame limit, say). */
  @Override
  public final void operationComplete(ChannelFuture f) {
    if (!f.isSuccess() && connection.remove(this)) {
      Throwable cause = f.cause();
      if (cause instanceof EncoderException && cause.getCause() instanceof RingkvException r) {
        fail(r);
      } else {
        fail(new RingkvException(ErrorCode.UNAVAILABLE, "could not send " + what() + " to "
            + peer + ": " + cause, cause));
      }
    }
  }

  /** A replica request: completes with the peer's response (a {@code Failed} one included). */
  static final class Replica extends Call {
    final CompletableFuture<ReplicaResponse> future = new CompletableFuture<>();
    private final NodeId from;
    private final ReplicaRequest request;

    Replica(long id, String peer, long timeoutMillis, NodeId from, ReplicaRequest request) {
      super(id, peer, timeoutMillis);
      this.from = from;
      this.request = request;
    }

    @Override
    Frame frame() {
      return new Frame.Request(id, from, request);
    }

    @Override
    String what() {
      return request.kind();
    }

    @Override
    void onAnswer(Frame answer) {
      if (answer instanceof Frame.Response r) {
        future.complete(r.response());
      } else {
        future.completeExceptionally(unexpected(answer));
      }
    }

    @Override
    void onFailure(RingkvException error) {
      future.completeExceptionally(error);
    }
  }

  /** An opaque gossip exchange: completes with the peer's answer bytes. */
  static final class Gossip extends Call {
    final CompletableFuture<byte[]> future = new CompletableFuture<>();
    private final byte[] payload;

    Gossip(long id, String peer, long timeoutMillis, byte[] ownedPayload) {
      super(id, peer, timeoutMillis);
      this.payload = ownedPayload;
    }

    @Override
    Frame frame() {
      return new Frame.GossipRequest(id, payload);
    }

    @Override
    String what() {
      return "a gossip message";
    }

    @Override
    void onAnswer(Frame answer) {
      if (answer instanceof Frame.GossipResponse g) {
        future.complete(g.payload());
      } else if (answer instanceof Frame.Response r
          && r.response() instanceof ReplicaResponse.Failed f) {
        future.completeExceptionally(f.toException());
      } else {
        future.completeExceptionally(unexpected(answer));
      }
    }

    @Override
    void onFailure(RingkvException error) {
      future.completeExceptionally(error);
    }
  }

  RingkvException unexpected(Frame answer) {
    String detail = answer instanceof Frame.Malformed m ? "a malformed answer (" + m.reason() + ")"
        : "an answer of the wrong kind (" + answer.getClass().getSimpleName() + ")";
    return new RingkvException(ErrorCode.INTERNAL, peer + " sent " + detail + " to " + what());
  }
}
