package io.ringkv.transport.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Flusher} on real event loops (Netty's in-JVM local transport, no sockets): writes from
 * other threads while the loop is busy go out in one drain with one flush; every message arrives,
 * each writer's in its order; a write after the loop has stopped fails its promise and frees the
 * message.
 */
class FlusherTest {
  private static final long WAIT_SECONDS = 10;

  private EventLoopGroup group;
  private Channel server;
  private Channel client;
  private final LinkedBlockingQueue<Long> received = new LinkedBlockingQueue<>();
  private final AtomicInteger flushes = new AtomicInteger();
  private final AtomicInteger writes = new AtomicInteger();

  @BeforeEach
  void connect() throws InterruptedException {
    group = new MultiThreadIoEventLoopGroup(2, LocalIoHandler.newFactory());
    LocalAddress address = new LocalAddress("flusher-test-" + System.nanoTime());
    server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
        .childHandler(new ChannelInitializer<LocalChannel>() {
          @Override
          protected void initChannel(LocalChannel ch) {
            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf buf = (ByteBuf) msg;
                try {
                  while (buf.readableBytes() >= Long.BYTES) {
                    received.add(buf.readLong());
                  }
                } finally {
                  buf.release();
                }
              }
            });
          }
        }).bind(address).sync().channel();
    client = new Bootstrap().group(group).channel(LocalChannel.class)
        .handler(new ChannelOutboundHandlerAdapter() {
          @Override
          public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            writes.incrementAndGet();
            ctx.write(msg, promise);
          }

          @Override
          public void flush(ChannelHandlerContext ctx) {
            flushes.incrementAndGet();
            ctx.flush();
          }
        }).connect(address).sync().channel();
  }

  @AfterEach
  void close() {
    if (client != null) {
      client.close().awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.close().awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
    }
    group.shutdownGracefully(0, 0, TimeUnit.SECONDS)
        .awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void writesFromOtherThreadsWhileTheLoopIsBusyLeaveInOneFlush() throws Exception {
    Flusher flusher = new Flusher(client);
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    client.eventLoop().execute(() -> {
      busy.countDown();
      await(release);
    });
    assertThat(busy.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    int writers = 4;
    int each = 250;
    List<ChannelFuture> sent = writeFrom(writers, each, flusher);
    flushes.set(0);
    release.countDown();
    List<Long> got = take(writers * each);
    for (ChannelFuture f : sent) {
      assertThat(f.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
      assertThat(f.isSuccess()).isTrue();
    }
    assertThat(flushes.get()).as("flushes for %d queued messages", writers * each).isEqualTo(1);
    assertInOrderPerWriter(got, writers, each);
  }

  @Test
  void everyMessageArrivesInItsWritersOrderUnderContention() throws Exception {
    Flusher flusher = new Flusher(client);
    int writers = 4;
    int each = 2_000;
    List<ChannelFuture> sent = writeFrom(writers, each, flusher);
    List<Long> got = take(writers * each);
    assertInOrderPerWriter(got, writers, each);
    for (ChannelFuture f : sent) {
      assertThat(f.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
      assertThat(f.isSuccess()).isTrue();
    }
    assertThat(writes.get()).isEqualTo(writers * each);
  }

  @Test
  void aWriteOnTheLoopIsFlushedByThePendingDrain() throws Exception {
    Flusher flusher = new Flusher(client);
    CountDownLatch release = new CountDownLatch(1);
    List<ChannelFuture> sent = java.util.Collections.synchronizedList(new ArrayList<>());
    client.eventLoop().execute(() -> {
      await(release);
      sent.add(flusher.write(message(9, 0))); // the drain is already scheduled: none is added
    });
    sent.addAll(writeFrom(1, 3, flusher));
    flushes.set(0);
    release.countDown();
    List<Long> got = take(4);
    assertThat(got).containsExactly(9L << 32, 1L << 32, 1L << 32 | 1, 1L << 32 | 2);
    assertThat(received.poll(100, TimeUnit.MILLISECONDS)).isNull();
    for (ChannelFuture f : sent) {
      assertThat(f.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
      assertThat(f.isSuccess()).isTrue();
    }
    assertThat(flushes.get()).isEqualTo(1);
  }

  @Test
  void aWriteAfterTheLoopStoppedFailsAndFreesTheMessage() throws Exception {
    Flusher flusher = new Flusher(client);
    client.close().awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
    server.close().awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(group.shutdownGracefully(0, 0, TimeUnit.SECONDS)
        .await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    ByteBuf message = message(0, 0);
    ChannelFuture f = flusher.write(message);
    assertThat(f.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(f.isSuccess()).isFalse();
    assertThat(message.refCnt()).isZero();
  }

  /** Writer w's message i is (w << 32 | i), written from its own thread in order of i. */
  private static List<ChannelFuture> writeFrom(int writers, int each, Flusher flusher)
      throws InterruptedException {
    List<ChannelFuture> sent = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      for (int w = 0; w < writers; w++) {
        int writer = w + 1;
        pool.execute(() -> {
          for (int i = 0; i < each; i++) {
            sent.add(flusher.write(message(writer, i)));
          }
        });
      }
    } finally {
      pool.shutdown();
    }
    assertThat(pool.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    return sent;
  }

  private static ByteBuf message(int writer, int i) {
    return Unpooled.buffer(Long.BYTES).writeLong((long) writer << 32 | i);
  }

  private List<Long> take(int count) throws InterruptedException {
    List<Long> got = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (got.size() < count && System.nanoTime() < deadline) {
      Long next = received.poll(100, TimeUnit.MILLISECONDS);
      if (next != null) {
        got.add(next);
      }
    }
    assertThat(got).as("messages received").hasSize(count);
    return got;
  }

  private static void assertInOrderPerWriter(List<Long> got, int writers, int each) {
    int[] next = new int[writers + 1];
    for (long m : got) {
      int writer = (int) (m >>> 32);
      int i = (int) m;
      assertThat(i).as("writer %d's next message", writer).isEqualTo(next[writer]);
      next[writer]++;
    }
    for (int w = 1; w <= writers; w++) {
      assertThat(next[w]).isEqualTo(each);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
