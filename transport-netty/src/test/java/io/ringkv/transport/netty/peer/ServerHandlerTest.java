package io.ringkv.transport.netty.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.Key;
import io.ringkv.api.NodeId;
import io.ringkv.api.QuorumNotReachedException;
import io.ringkv.api.Siblings;
import io.ringkv.replication.api.ReplicaHandler;
import io.ringkv.replication.api.ReplicaRequest;
import io.ringkv.replication.api.ReplicaResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The answering end of a connection on an {@link EmbeddedChannel}. */
class ServerHandlerTest {
  private static final NodeId PEER = NodeId.of("n2");
  private final Map<Key, CompletableFuture<ReplicaResponse>> pending = new ConcurrentHashMap<>();
  private final List<NodeId> askedBy = new ArrayList<>();
  private final AtomicReference<Function<byte[], CompletableFuture<byte[]>>> gossip =
      new AtomicReference<>();
  private final ReplicaHandler handler = (from, request) -> {
    askedBy.add(from);
    Key key = ((ReplicaRequest.Fetch) request).key();
    if (key.key().equals("boom")) {
      throw new IllegalStateException("engine exploded");
    }
    return pending.computeIfAbsent(key, k -> new CompletableFuture<>());
  };
  private final EmbeddedChannel channel = new EmbeddedChannel(
      new ServerHandler(handler, null, gossip::get));

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  private static Frame.Request fetch(long id, String key) {
    return new Frame.Request(id, PEER, new ReplicaRequest.Fetch(Key.of("b", key)));
  }

  private Frame answer() {
    channel.runPendingTasks();
    return channel.readOutbound();
  }

  @Test
  void answersAreWrittenWhenTheHandlersFutureCompletesInCompletionOrder() {
    channel.writeInbound(fetch(1, "a"), fetch(2, "b"));
    assertThat(askedBy).containsExactly(PEER, PEER);
    assertThat(answer()).as("nothing before the handler answers").isNull();

    ReplicaResponse b = new ReplicaResponse.Fetched(Siblings.empty());
    pending.get(Key.of("b", "b")).complete(b);
    assertThat(answer()).isEqualTo(new Frame.Response(2, b));
    pending.get(Key.of("b", "a")).complete(new ReplicaResponse.Stored());
    assertThat(answer()).isEqualTo(new Frame.Response(1, new ReplicaResponse.Stored()));
  }

  @Test
  void aRequestTheHandlerAnswersWithoutBlockingSkipsTheExecutorTheRestGoThroughIt() {
    List<Runnable> queued = new ArrayList<>();
    List<String> ran = new ArrayList<>();
    ReplicaHandler quick = new ReplicaHandler() {
      @Override
      public CompletableFuture<ReplicaResponse> handle(NodeId from, ReplicaRequest request) {
        ran.add(request.kind());
        return CompletableFuture.completedFuture(new ReplicaResponse.Stored());
      }

      @Override
      public boolean handlesWithoutBlocking(ReplicaRequest request) {
        return request instanceof ReplicaRequest.Fetch;
      }
    };
    EmbeddedChannel ch = new EmbeddedChannel(new ServerHandler(quick, queued::add, gossip::get));
    try {
      ch.writeInbound(fetch(1, "a"), new Frame.Request(2, PEER, new ReplicaRequest.Store(
          Key.of("b", "k"), Siblings.empty())));

      assertThat(ran).as("the fetch ran on the event loop at once").hasSize(1);
      assertThat(queued).as("the store waits for the executor").hasSize(1);
      queued.get(0).run();
      assertThat(ran).hasSize(2);
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aFailedFutureOrAThrowingHandlerIsAnsweredWithFailed() {
    channel.writeInbound(fetch(1, "a"), fetch(2, "boom"));
    Frame.Response boom = (Frame.Response) answer();
    assertThat(boom.id()).isEqualTo(2);
    ReplicaResponse.Failed f = (ReplicaResponse.Failed) boom.response();
    assertThat(f.code()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(f.message()).contains("engine exploded");

    pending.get(Key.of("b", "a")).completeExceptionally(new QuorumNotReachedException("get", 2, 1));
    ReplicaResponse.Failed q = (ReplicaResponse.Failed) ((Frame.Response) answer()).response();
    assertThat(q.toException()).isInstanceOf(QuorumNotReachedException.class)
        .hasMessageContaining("1 of R=2");
  }

  @Test
  void aMalformedRequestIsAnsweredAndTheConnectionStays() {
    channel.writeInbound(new Frame.Malformed(5, true, "key must not be empty"));
    Frame.Response r = (Frame.Response) answer();
    assertThat(r.id()).isEqualTo(5);
    ReplicaResponse.Failed f = (ReplicaResponse.Failed) r.response();
    assertThat(f.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(f.message()).isEqualTo("malformed request: key must not be empty");
    assertThat(channel.isActive()).isTrue();
  }

  @Test
  void anAnswerSentToTheServerBreaksTheProtocolAndClosesTheConnection() {
    channel.writeInbound(new Frame.Response(1, new ReplicaResponse.Stored()));
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void gossipGoesToTheRegisteredHandlerOrIsRefusedWithoutOne() {
    channel.writeInbound(new Frame.GossipRequest(1, new byte[] {1, 2}));
    ReplicaResponse.Failed refused = (ReplicaResponse.Failed) ((Frame.Response) answer()).response();
    assertThat(refused.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(refused.message()).contains("no gossip handler");

    gossip.set(bytes -> CompletableFuture.completedFuture(new byte[] {bytes[1], bytes[0]}));
    channel.writeInbound(new Frame.GossipRequest(2, new byte[] {1, 2}));
    Frame.GossipResponse answer = (Frame.GossipResponse) answer();
    assertThat(answer.id()).isEqualTo(2);
    assertThat(answer.payload()).containsExactly(2, 1);
  }
}
