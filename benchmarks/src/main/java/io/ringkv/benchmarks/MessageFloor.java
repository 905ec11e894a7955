package io.ringkv.benchmarks;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.ringkv.protocol.NettyTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The floor under a quorum operation on this machine: what the messages of one ringkv operation
 * cost when nothing else is done. Three node processes and a load process exchange exactly the
 * messages of N=3, R=2, W=2 with the payloads of YCSB's 1 KiB records, over the same Netty
 * transport, thread counts and connection counts as {@code benchmarks/ycsb.sh} (two connections
 * from the load to each node, as the YCSB binding's default, and two from each node to each peer,
 * as the peer pool's), and do nothing else: no storage, no fsync, no versions, no protobuf, no
 * timers.
 *
 * <p>Per operation: the load sends a request to a node (as the partition-aware client sends to the
 * coordinator); the node sends it to both other nodes (an update carries 1 KiB to them, a read asks
 * them for theirs); each answers (a read with 1 KiB, an update with an acknowledgement); the node
 * answers the load after the first of the two (the coordinator's own copy makes the second of R
 * or W). Six messages, as in ringkv. The load runs 16 threads, each waiting for its answer, half
 * reads, half updates, as workload A.
 *
 * <p>With a {@code DATA_FILE} (the durable floor, {@code floor.sh --durable}) each node also does
 * the least a durable write needs: every update's copy, the coordinator's own and each peer's (as
 * many bytes as the key and the value), is appended to the file (one {@code write} call) and
 * acknowledged only once a group {@code fdatasync} covers it, as ringkv's
 * {@code storage.sync=batch} (one sync thread, at most one fsync per 2 ms). The coordinator
 * answers an update once its own copy is durable and a peer has acknowledged. The sync thread
 * hands the acknowledgements back in one task per event loop.
 *
 * <p>With {@code any-node} ({@code floor.sh --any-node}) the load sends two operations in three
 * to a node that is not their coordinator, as ringkv's {@code ANY_NODE} routing does with three
 * nodes and N=3: that node forwards the request to another, which coordinates it and answers
 * through the first. Eight messages then instead of six.
 *
 * <pre>
 * java -cp benchmarks.jar io.ringkv.benchmarks.MessageFloor node PORT PEER_PORT PEER_PORT
 *     [DATA_FILE]
 * java -cp benchmarks.jar io.ringkv.benchmarks.MessageFloor load THREADS WARMUP_S SECONDS
 *     PORTS(comma) NODE_PIDS(comma) [any-node]
 * </pre>
 * {@code benchmarks/floor.sh} runs both and prints one line; see BENCHMARKS.md.
 */
public final class MessageFloor {
  private static final int VALUE_BYTES = 1024;
  private static final byte READ = 0;
  private static final byte UPDATE = 1;
  private static final byte PEER_READ = 2;
  private static final byte PEER_UPDATE = 3;
  private static final byte ANSWER = 4;
  /** From the load to a node that is not the coordinator: forward it, then answer. */
  private static final byte FORWARD_READ = 5;
  private static final byte FORWARD_UPDATE = 6;
  private static final byte[] VALUE = new byte[VALUE_BYTES];
  /** A YCSB key ({@code user} and 19 digits) stands in the request as the real protocol's key. */
  private static final int KEY_BYTES = 23;

  private MessageFloor() {}

  public static void main(String[] args) throws Exception {
    if ((args.length == 4 || args.length == 5) && args[0].equals("node")) {
      MessageFloorSync sync = args.length == 5 ? new MessageFloorSync(Path.of(args[4])) : null;
      node(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), sync);
    } else if ((args.length == 6 || args.length == 7 && args[6].equals("any-node"))
        && args[0].equals("load")) {
      load(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
          ints(args[4]), ints(args[5]), args.length == 7);
    } else {
      System.err.println("usage: MessageFloor node PORT PEER_PORT PEER_PORT [DATA_FILE]\n"
          + "       MessageFloor load THREADS WARMUP_S SECONDS PORTS NODE_PIDS [any-node]");
      System.exit(2);
    }
  }

  private static int[] ints(String csv) {
    return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
  }

  /** A frame: int length, long id, byte kind, then the key and, for some kinds, 1 KiB. */
  private static ByteBuf frame(Channel ch, long id, byte kind, boolean withValue) {
    int body = 8 + 1 + KEY_BYTES + (withValue ? VALUE_BYTES : 0);
    ByteBuf b = ch.alloc().ioBuffer(4 + body);
    b.writeInt(body).writeLong(id).writeByte(kind).writeZero(KEY_BYTES);
    if (withValue) {
      b.writeBytes(VALUE);
    }
    return b;
  }

  private static LengthFieldBasedFrameDecoder decoder() {
    return new LengthFieldBasedFrameDecoder(1 << 20, 0, 4, 0, 4);
  }

  // ---- node

  /** Who asked for an operation (the load, or a forwarding node) and under which id. */
  private record Asker(Channel channel, long id, boolean read) {
    /** The answer: 1 KiB for a read, an acknowledgement for an update. */
    void answer() {
      channel.writeAndFlush(frame(channel, id, ANSWER, read));
    }
  }

  /**
   * A request coordinated here, waiting for the first of its two peer answers and, for a durable
   * update, for its own copy's fsync.
   */
  private static final class Pending {
    final Asker asker;
    // guarded by this
    private int peerAnswers;
    private boolean ownDurable;
    private boolean answered;

    Pending(Asker asker, boolean ownDurable) {
      this.asker = asker;
      this.ownDurable = ownDurable;
    }

    /** Counts a peer's answer; true once both peers answered (forget it then). */
    boolean peerAnswered() {
      boolean last;
      synchronized (this) {
        last = ++peerAnswers == 2;
      }
      answerIfDue();
      return last;
    }

    void ownCopyDurable() {
      synchronized (this) {
        ownDurable = true;
      }
      answerIfDue();
    }

    private void answerIfDue() {
      synchronized (this) {
        if (answered || peerAnswers == 0 || !ownDurable) {
          return;
        }
        answered = true;
      }
      asker.answer();
    }
  }

  private static void node(int port, int peerA, int peerB, MessageFloorSync sync)
      throws Exception {
    EventLoopGroup group = NettyTransport.group(2, "floor-io");
    Map<Long, Pending> pending = new ConcurrentHashMap<>();
    AtomicLong ids = new AtomicLong();
    // Set before "ready" is printed: the load, and so the first request, starts after that.
    AtomicReferenceArray<Channel> peers = new AtomicReferenceArray<>(4);
    /** Requests forwarded from here, by the id they were sent on with. */
    Map<Long, Asker> forwards = new ConcurrentHashMap<>();
    SimpleChannelInboundHandler<ByteBuf> inbound = new SimpleChannelInboundHandler<>() {
      @Override
      protected void channelRead0(ChannelHandlerContext ctx, ByteBuf in) {
        long id = in.readLong();
        byte kind = in.readByte();
        Channel ch = ctx.channel();
        switch (kind) {
          case READ, UPDATE -> {
            long peerId = ids.incrementAndGet();
            boolean durableHere = sync == null || kind == READ;
            Pending p = new Pending(new Asker(ch, id, kind == READ), durableHere);
            pending.put(peerId, p);
            if (!durableHere) {
              sync.append(ch, p::ownCopyDurable);
            }
            int pick = (int) (peerId & 1); // of each peer's two connections, in turn
            for (int i = pick; i < peers.length(); i += 2) {
              Channel peer = peers.get(i);
              peer.writeAndFlush(frame(peer, peerId, kind == READ ? PEER_READ : PEER_UPDATE,
                  kind == UPDATE));
            }
          }
          case FORWARD_READ, FORWARD_UPDATE -> {
            long peerId = ids.incrementAndGet();
            boolean read = kind == FORWARD_READ;
            forwards.put(peerId, new Asker(ch, id, read));
            Channel coordinator = peers.get((int) (peerId & 3)); // either peer, either connection
            coordinator.writeAndFlush(frame(coordinator, peerId, read ? READ : UPDATE, !read));
          }
          case PEER_READ -> ctx.write(frame(ch, id, ANSWER, true));
          case PEER_UPDATE -> {
            if (sync == null) {
              ctx.write(frame(ch, id, ANSWER, false));
            } else {
              sync.append(ch, () -> ch.write(frame(ch, id, ANSWER, false)));
            }
          }
          default -> throw new IllegalStateException("kind " + kind);
        }
      }

      @Override
      public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
      }

      @Override
      public boolean isSharable() {
        return true;
      }
    };
    SimpleChannelInboundHandler<ByteBuf> answers = new SimpleChannelInboundHandler<>() {
      @Override
      protected void channelRead0(ChannelHandlerContext ctx, ByteBuf in) {
        long id = in.readLong();
        Asker forwarded = forwards.remove(id);
        if (forwarded != null) {
          forwarded.answer(); // the coordinator answered: pass it on
          return;
        }
        Pending p = pending.get(id);
        if (p != null && p.peerAnswered()) {
          pending.remove(id);
        }
      }

      @Override
      public boolean isSharable() {
        return true;
      }
    };
    new ServerBootstrap().group(group).channel(NettyTransport.serverSocketChannel(group))
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(decoder(), inbound);
          }
        }).bind(new InetSocketAddress("127.0.0.1", port)).sync();
    Bootstrap toPeers = clientBootstrap(group, answers);
    peers.set(0, connect(toPeers, peerA));
    peers.set(1, connect(toPeers, peerA));
    peers.set(2, connect(toPeers, peerB));
    peers.set(3, connect(toPeers, peerB));
    if (sync != null) {
      sync.start();
    }
    System.out.println("ready");
    System.out.flush();
    Thread.currentThread().join(); // until the script kills the process
  }

  /** Outgoing connections on {@code group}: frames decoded, then handed to {@code answers}. */
  private static Bootstrap clientBootstrap(EventLoopGroup group,
      SimpleChannelInboundHandler<ByteBuf> answers) {
    return new Bootstrap().group(group).channel(NettyTransport.socketChannel(group))
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(decoder(), answers);
          }
        });
  }

  /** Connects, retrying for up to 30 s while the peer starts. */
  private static Channel connect(Bootstrap b, int port) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return b.connect(new InetSocketAddress("127.0.0.1", port)).sync().channel();
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("no peer on port " + port + " within 30 s", e);
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
  }

  // ---- load

  private static void load(int threads, int warmup, int seconds, int[] ports, int[] pids,
      boolean anyNode) throws Exception {
    EventLoopGroup group = NettyTransport.group(1, "floor-load");
    Map<Long, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
    AtomicLong ids = new AtomicLong();
    SimpleChannelInboundHandler<ByteBuf> answers = new SimpleChannelInboundHandler<>() {
      @Override
      protected void channelRead0(ChannelHandlerContext ctx, ByteBuf in) {
        CompletableFuture<Void> f = waiting.remove(in.readLong());
        if (f != null) {
          f.complete(null);
        }
      }

      @Override
      public boolean isSharable() {
        return true;
      }
    };
    Bootstrap b = clientBootstrap(group, answers);
    int perNode = 2; // as the YCSB binding's ringkv.connections
    Channel[] channels = new Channel[ports.length * perNode];
    for (int i = 0; i < channels.length; i++) {
      channels[i] = connect(b, ports[i / perNode]);
    }
    long start = System.nanoTime();
    long measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
    long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
    List<long[]> reads = new ArrayList<>();
    List<long[]> updates = new ArrayList<>();
    List<Thread> workers = new ArrayList<>();
    int[] counts = new int[threads * 2];
    long[] done = new long[threads * 2]; // operations measured, beyond the latency samples kept
    AtomicReference<Throwable> failed = new AtomicReference<>();
    for (int t = 0; t < threads; t++) {
      long[] r = new long[600_000];
      long[] u = new long[600_000];
      reads.add(r);
      updates.add(u);
      int slot = t;
      Thread w = new Thread(() -> {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int nr = 0;
        int nu = 0;
        while (true) {
          long t0 = System.nanoTime();
          if (t0 >= end) {
            break;
          }
          boolean read = random.nextBoolean();
          Channel ch = channels[random.nextInt(channels.length)];
          long id = ids.incrementAndGet();
          CompletableFuture<Void> f = new CompletableFuture<>();
          waiting.put(id, f);
          boolean forward = anyNode && random.nextInt(3) != 0;
          byte kind = forward ? (read ? FORWARD_READ : FORWARD_UPDATE) : (read ? READ : UPDATE);
          ch.writeAndFlush(frame(ch, id, kind, !read));
          try {
            f.get(10, TimeUnit.SECONDS);
          } catch (Exception e) {
            failed.compareAndSet(null, e);
            break;
          }
          long t1 = System.nanoTime();
          if (t0 >= measureFrom && t1 <= end) {
            done[2 * slot + (read ? 0 : 1)]++;
            if (read && nr < r.length) {
              r[nr++] = t1 - t0;
            } else if (!read && nu < u.length) {
              u[nu++] = t1 - t0;
            }
          }
        }
        counts[2 * slot] = nr;
        counts[2 * slot + 1] = nu;
      }, "floor-worker-" + t);
      workers.add(w);
    }
    workers.forEach(Thread::start);
    sleepUntil(measureFrom);
    long[] nodesBefore = ticks(pids);
    long selfBefore = ProcessCpu.nanos();
    sleepUntil(end);
    long[] nodesAfter = ticks(pids);
    long selfAfter = ProcessCpu.nanos();
    for (Thread w : workers) {
      w.join(TimeUnit.SECONDS.toMillis(30));
      if (w.isAlive() || failed.get() != null) {
        System.err.println("a load thread got no answer within 10 s: " + failed.get());
        System.exit(1);
      }
    }
    long[] r = merge(reads, counts, 0);
    long[] u = merge(updates, counts, 1);
    long ops = Arrays.stream(done).sum();
    double nodeCpuMs = 0;
    for (int i = 0; i < pids.length; i++) {
      nodeCpuMs += (nodesAfter[i] - nodesBefore[i]) * 10.0; // 100 clock ticks per second
    }
    System.out.printf("floor  ops/s %d  read p50 %.2f p99 %.2f  update p50 %.2f p99 %.2f ms"
            + "  srv cpu %.3f  cli cpu %.3f ms/op%n", ops / seconds, pct(r, 50), pct(r, 99),
        pct(u, 50), pct(u, 99), nodeCpuMs / ops, (selfAfter - selfBefore) / 1e6 / ops);
    channels[0].eventLoop().parent().shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long wait;
    while ((wait = nanoTime - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }

  /** User plus system clock ticks of each process, from /proc. */
  private static long[] ticks(int[] pids) throws IOException {
    long[] out = new long[pids.length];
    for (int i = 0; i < pids.length; i++) {
      String stat = Files.readString(Path.of("/proc", Integer.toString(pids[i]), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      out[i] = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
    }
    return out;
  }

  private static long[] merge(List<long[]> parts, int[] counts, int offset) {
    int n = 0;
    for (int i = 0; i < parts.size(); i++) {
      n += counts[2 * i + offset];
    }
    long[] all = new long[n];
    int at = 0;
    for (int i = 0; i < parts.size(); i++) {
      int c = counts[2 * i + offset];
      System.arraycopy(parts.get(i), 0, all, at, c);
      at += c;
    }
    Arrays.sort(all);
    return all;
  }

  private static double pct(long[] sorted, int p) {
    return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1L,
        (long) Math.ceil(sorted.length * p / 100.0) - 1)] / 1e6;
  }
}
