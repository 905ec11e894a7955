package io.ringkv.transport.netty.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.RingkvException;
import io.ringkv.api.Siblings;
import io.ringkv.replication.api.ReplicaRequest;
import io.ringkv.replication.api.ReplicaResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The asking end of a connection on an {@link EmbeddedChannel}: correlation, timeouts, closes. */
class ClientHandlerTest {
  private static final NodeId SELF = NodeId.of("n1");
  private static final String PEER = "node n2 (127.0.0.1:7001)";
  private final ClientHandler handler = new ClientHandler(PEER);
  private final EmbeddedChannel channel = new EmbeddedChannel(handler);

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  private Call.Replica send(long id, String key, long timeoutMillis) {
    Call.Replica call = new Call.Replica(id, PEER, timeoutMillis, SELF,
        new ReplicaRequest.Fetch(Key.of("b", key)));
    handler.send(channel, call);
    channel.runPendingTasks(); // the batched flush
    return call;
  }

  private static RingkvException failure(CompletableFuture<?> f) {
    assertThat(f).isCompletedExceptionally();
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(
        (ThrowableAssert.ThrowingCallable) f::join);
    assertThat(t).isInstanceOf(CompletionException.class);
    assertThat(t.getCause()).isInstanceOf(RingkvException.class);
    return (RingkvException) t.getCause();
  }

  @Test
  void answersArriveInAnyOrderAndEachCompletesItsOwnCall() {
    Call.Replica first = send(1, "a", 5_000);
    Call.Replica second = send(2, "b", 5_000);
    Frame.Request sentFirst = channel.readOutbound();
    Frame.Request sentSecond = channel.readOutbound();
    assertThat(sentFirst.id()).isEqualTo(1);
    assertThat(sentSecond.id()).isEqualTo(2);
    assertThat(sentFirst.from()).isEqualTo(SELF);

    ReplicaResponse forSecond = new ReplicaResponse.Reaped(true);
    ReplicaResponse forFirst = new ReplicaResponse.Fetched(Siblings.empty());
    channel.writeInbound(new Frame.Response(2, forSecond));
    assertThat(second.future).isCompletedWithValue(forSecond);
    assertThat(first.future).isNotDone();
    channel.writeInbound(new Frame.Response(1, forFirst));
    assertThat(first.future).isCompletedWithValue(forFirst);
    assertThat(handler.waiting()).isZero();
  }

  @Test
  void aCallWithoutAnswerTimesOutNamingThePeerAndTheWait() {
    channel.freezeTime(); // the embedded loop's clock otherwise runs on with the wall clock too
    Call.Replica call = send(7, "slow", 250);
    channel.advanceTimeBy(249, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    assertThat(call.future).isNotDone();
    channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
    RingkvException e = failure(call.future);
    assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(e).hasMessage(PEER + " did not answer Fetch in 250 ms");
    assertThat(handler.waiting()).isZero();

    // The late answer is dropped without harm.
    channel.writeInbound(new Frame.Response(7, new ReplicaResponse.Stored()));
    assertThat(channel.isActive()).isTrue();
  }

  @Test
  void anAnsweredCallNeverTimesOut() {
    Call.Replica call = send(3, "k", 100);
    channel.writeInbound(new Frame.Response(3, new ReplicaResponse.Stored()));
    channel.advanceTimeBy(1, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();
    assertThat(call.future).isCompletedWithValue(new ReplicaResponse.Stored());
  }

  @Test
  void closingTheConnectionFailsEveryWaitingCall() {
    Call.Replica a = send(1, "a", 5_000);
    Call.Replica b = send(2, "b", 5_000);
    channel.close();
    assertThat(failure(a.future)).hasMessageContaining(PEER + " did not answer Fetch");
    assertThat(failure(b.future).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    // A send on the closed connection fails at once instead of waiting for its timeout.
    Call.Replica late = new Call.Replica(3, PEER, 5_000, SELF, new ReplicaRequest.Fetch(
        Key.of("b", "c")));
    handler.send(channel, late);
    assertThat(failure(late.future).code()).isEqualTo(ErrorCode.UNAVAILABLE);
  }

  @Test
  void aMalformedAnswerFailsOnlyItsCall() {
    Call.Replica a = send(1, "a", 5_000);
    Call.Replica b = send(2, "b", 5_000);
    channel.writeInbound(new Frame.Malformed(1, false, "a dot inside its own context"));
    RingkvException e = failure(a.future);
    assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(e).hasMessageContaining("malformed answer (a dot inside its own context)");
    assertThat(b.future).isNotDone();
    assertThat(channel.isActive()).isTrue();
  }

  @Test
  void aGarbageFrameClosesTheConnectionAndFailsTheCallsWithTheReason() {
    EmbeddedChannel framed = new EmbeddedChannel();
    FrameCodec.install(framed.pipeline(), 4096);
    ClientHandler h = new ClientHandler(PEER);
    framed.pipeline().addLast(h);
    Call.Replica call = new Call.Replica(1, PEER, 5_000, SELF, new ReplicaRequest.Fetch(
        Key.of("b", "k")));
    h.send(framed, call);
    framed.runPendingTasks();
    framed.writeInbound(Unpooled.buffer().writeInt(3).writeBytes(new byte[] {-1, -1, -1}));
    assertThat(framed.isOpen()).isFalse();
    assertThat(failure(call.future)).hasMessageContaining("broke the protocol")
        .hasMessageContaining("not a ringkv envelope");
    framed.finishAndReleaseAll();
  }

  @Test
  void aGossipCallCompletesWithTheAnswerBytesOrTheRemoteFailure() {
    Call.Gossip ok = new Call.Gossip(1, PEER, 5_000, new byte[] {1});
    Call.Gossip refused = new Call.Gossip(2, PEER, 5_000, new byte[] {2});
    handler.send(channel, ok);
    handler.send(channel, refused);
    channel.runPendingTasks();
    channel.writeInbound(new Frame.GossipResponse(1, new byte[] {4, 2}));
    channel.writeInbound(new Frame.Response(2, new ReplicaResponse.Failed(ErrorCode.UNAVAILABLE,
        "no gossip handler", "", "", 0, 0)));
    assertThat(ok.future.join()).containsExactly(4, 2);
    assertThat(failure(refused.future)).hasMessage("no gossip handler");
  }
}
