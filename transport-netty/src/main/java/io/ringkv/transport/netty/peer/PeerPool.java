package io.ringkv.transport.netty.peer;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.RingkvException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections to one peer: a fixed number of slots used round-robin, each reconnecting on
 * demand after a failure with exponential backoff (capped), and one budget of requests in flight
 * across them. A send never waits for a slot in backoff: when no connection is up and none may
 * be attempted yet it fails at once, so callers move on to another replica.
 */
final class PeerPool {
  private static final Logger log = LoggerFactory.getLogger(PeerPool.class);

  final InetSocketAddress address;
  private final String label;
  private final TransportSettings settings;
  private final Bootstrap bootstrap;
  private final Slot[] slots;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean closed;
  private long retryAtNanos = System.nanoTime();
  private long backoffNanos;
  private String lastError = "not connected yet";

  private final java.util.function.Consumer<InetSocketAddress> refused;

  /** @param refused told each time a connection attempt is refused (nobody listens there) */
  PeerPool(InetSocketAddress address, Bootstrap template, TransportSettings settings,
      java.util.function.Consumer<InetSocketAddress> refused) {
    this.address = address;
    this.refused = refused;
    this.label = address.getHostString() + ":" + address.getPort();
    this.settings = settings;
    this.bootstrap = template.clone().remoteAddress(address).handler(
        new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            FrameCodec.install(ch.pipeline(), settings.maxFrameBytes());
            ch.pipeline().addLast("client", new ClientHandler(label));
          }
        });
    this.slots = new Slot[settings.connectionsPerPeer()];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = new Slot();
    }
  }

  String label() {
    return label;
  }

  int inFlight() {
    return inFlight.get();
  }

  void release() {
    inFlight.decrementAndGet();
  }

  /** Sends the call on a live connection, or on one being (re)established, or fails it. */
  void dispatch(Call call) {
    call.countedBy(this);
    if (inFlight.incrementAndGet() > settings.maxInFlightPerPeer()) {
      call.fail(new RingkvException(ErrorCode.UNAVAILABLE, call.peer + " has "
          + settings.maxInFlightPerPeer() + " requests in flight (the limit); refusing "
          + call.what() + " rather than queueing it"));
      return;
    }
    if (closed) {
      call.fail(new RingkvException(ErrorCode.UNAVAILABLE, "cannot send " + call.what() + " to "
          + call.peer + ": the transport is closed"));
      return;
    }
    int start = Math.floorMod(next.getAndIncrement(), slots.length);
    Slot first = slots[start];
    Channel channel = first.active();
    if (channel == null) {
      for (int i = 1; i < slots.length && channel == null; i++) {
        channel = slots[(start + i) % slots.length].active();
      }
      if (channel != null) {
        connect(first); // refill the pool in the background
      }
    }
    if (channel != null) {
      send(channel, call);
      return;
    }
    ChannelFuture connecting = null;
    for (int i = 0; i < slots.length && connecting == null; i++) {
      connecting = connect(slots[(start + i) % slots.length]);
    }
    if (connecting == null) {
      call.fail(unreachable(call));
      return;
    }
    connecting.addListener((ChannelFuture f) -> {
      if (f.isSuccess()) {
        send(f.channel(), call);
      } else {
        call.fail(new RingkvException(ErrorCode.UNAVAILABLE, "cannot connect to " + call.peer
            + ": " + describe(f.cause()), f.cause()));
      }
    });
  }

  private synchronized RingkvException unreachable(Call call) {
    return new RingkvException(ErrorCode.UNAVAILABLE, call.peer + " is unreachable (" + lastError
        + "); next connection attempt in "
        + Math.max(0, TimeUnit.NANOSECONDS.toMillis(retryAtNanos - System.nanoTime())) + " ms");
  }

  /**
   * The slot's live channel, its attempt under way, a new attempt, or null while the peer is in
   * backoff (after a failed attempt on any slot: the peer, not the slot, is unreachable).
   */
  private synchronized ChannelFuture connect(Slot slot) {
    Channel c = slot.active();
    if (c != null) {
      return c.newSucceededFuture();
    }
    if (slot.connecting != null) {
      return slot.connecting;
    }
    if (closed || System.nanoTime() - retryAtNanos < 0) {
      return null;
    }
    ChannelFuture f = bootstrap.connect();
    slot.connecting = f;
    f.addListener((ChannelFuture done) -> {
      if (connected(slot, done)) {
        try {
          refused.accept(address); // outside the pool's lock: the listener may take others
        } catch (RuntimeException e) {
          log.warn("the refused-connection listener failed for {}", label, e);
        }
      }
    });
    return f;
  }

  /** Records an attempt's outcome; true when the connection was refused (nobody listens). */
  private synchronized boolean connected(Slot slot, ChannelFuture f) {
    slot.connecting = null;
    if (f.isSuccess()) {
      Channel c = f.channel();
      if (closed) {
        c.close();
        return false;
      }
      slot.channel = c;
      backoffNanos = 0;
      retryAtNanos = System.nanoTime();
      log.debug("connected to {}", label);
      return false;
    } else {
      long min = settings.reconnectBackoffMin().toNanos();
      long max = settings.reconnectBackoffMax().toNanos();
      backoffNanos = backoffNanos == 0 ? min : Math.min(max, backoffNanos * 2);
      retryAtNanos = System.nanoTime() + backoffNanos;
      lastError = describe(f.cause());
      log.debug("cannot connect to {} ({}); next attempt in {} ms", label, lastError,
          TimeUnit.NANOSECONDS.toMillis(backoffNanos));
      // A timeout is not a refusal: the peer may be alive but slow, or the path lossy.
      return f.cause() instanceof java.net.ConnectException
          && !(f.cause() instanceof io.netty.channel.ConnectTimeoutException) && !closed;
    }
  }

  /** The peer is back (the failure detector says so): the next send connects at once. */
  synchronized void resetBackoff() {
    backoffNanos = 0;
    retryAtNanos = System.nanoTime();
  }

  private static void send(Channel channel, Call call) {
    ClientHandler handler = channel.pipeline().get(ClientHandler.class);
    if (handler == null) { // closed between being picked and being used: its pipeline is gone
      call.fail(new RingkvException(ErrorCode.UNAVAILABLE, "cannot send " + call.what() + " to "
          + call.peer + ": the connection closed"));
      return;
    }
    handler.send(channel, call);
  }

  private static String describe(Throwable t) {
    return t == null ? "cancelled" : t.getMessage() == null ? t.toString() : t.getMessage();
  }

  void close() {
    closed = true;
    synchronized (this) {
      for (Slot s : slots) {
        if (s.connecting != null) {
          s.connecting.cancel(false);
        }
        Channel c = s.channel;
        if (c != null) {
          c.close();
        }
      }
    }
  }

  /** One connection of the pool; its state is guarded by the pool. */
  private static final class Slot {
    volatile Channel channel;
    ChannelFuture connecting;

    Channel active() {
      Channel c = channel;
      return c != null && c.isActive() ? c : null;
    }
  }
}
