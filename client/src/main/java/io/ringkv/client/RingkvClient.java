package io.ringkv.client;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.ringkv.api.Bytes;
import io.ringkv.api.ConflictResolver;
import io.ringkv.api.Context;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.GetResult;
import io.ringkv.api.Key;
import io.ringkv.api.KvStore;
import io.ringkv.api.NodeId;
import io.ringkv.api.PutResult;
import io.ringkv.api.RequestOptions;
import io.ringkv.api.Resolution;
import io.ringkv.api.RingkvException;
import io.ringkv.api.Versioned;
import io.ringkv.protocol.ClientFrames;
import io.ringkv.protocol.ClientMapping;
import io.ringkv.protocol.NettyTransport;
import io.ringkv.protocol.proto.DeleteRequest;
import io.ringkv.protocol.proto.GetRequest;
import io.ringkv.protocol.proto.PutRequest;
import io.ringkv.protocol.proto.Request;
import io.ringkv.protocol.proto.Response;
import io.ringkv.protocol.proto.RingRequest;
import io.ringkv.protocol.proto.RingResponse;
import io.ringkv.ring.PreferenceList;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The ringkv Java client, over the binary client protocol (docs/protocol.md). Thread-safe; build
 * one per application and share it; {@link #close()} it at the end.
 *
 * <pre>{@code
 * try (RingkvClient client = RingkvClient.builder().seeds("10.0.0.1:8087", "10.0.0.2:8087")
 *     .routing(Routing.PARTITION_AWARE).build()) {
 *   client.put("carts", "alice", Bytes.utf8("milk"));
 *   GetResult cart = client.get("carts", "alice");
 *   client.put("carts", "alice", Bytes.utf8("milk,eggs"), cart.context());
 * }
 * }</pre>
 *
 * <p>Every call comes in a blocking form and a {@code CompletableFuture} form (the
 * {@link KvStore} methods, and those ending in {@code Async}). A failure is a
 * {@link RingkvException}: the node's own error (its code and message, as the HTTP API gives
 * them; {@link io.ringkv.api.QuorumNotReachedException} with its counts) or
 * {@link ErrorCode#UNAVAILABLE} when no node could be reached.
 *
 * <p>Retries: a read, or a write that certainly never reached a node (no connection), is sent to
 * the next node (down the key's preference list, or to the next seed), up to
 * {@link Builder#retries(int)} times. A write that reached a node and then lost its connection or
 * its time is not sent again, since it may be stored: it fails with {@code UNAVAILABLE}, saying
 * so. An error the node answered is never retried: the node already tried what it could.
 */
public final class RingkvClient implements KvStore, AutoCloseable {
  /** The default port of a node's binary client protocol ({@code client.port}). */
  public static final int DEFAULT_PORT = 8087;
  /** How long a node that could not be reached is tried only after the others. */
  /** The most nodes of a key's preference list a request is offered to, in order. */
  private static final int MAX_TARGETS = 8;
  private static final Duration SUSPECT_FOR = Duration.ofSeconds(2);
  /** Beyond a request's own timeout, how long the client waits for the node to say so. */
  private static final Duration ANSWER_MARGIN = Duration.ofSeconds(1);

  private final List<InetSocketAddress> seeds;
  private final Routing routing;
  private final Duration requestTimeout;
  private final int retries;
  private final ConflictResolver resolver;
  private final int updateAttempts;
  private final RequestOptions defaults;
  private final EventLoopGroup group;
  private final boolean ownGroup;
  private final Nodes nodes;
  private final RingState ring;
  private final AtomicInteger nextSeed = new AtomicInteger();
  private final io.netty.util.concurrent.ScheduledFuture<?> periodicRefresh;

  private RingkvClient(Builder b) {
    this.seeds = List.copyOf(b.seeds);
    this.routing = b.routing;
    this.requestTimeout = b.requestTimeout;
    this.retries = b.retries;
    this.resolver = b.resolver;
    this.updateAttempts = b.updateAttempts;
    this.defaults = b.defaults;
    this.ownGroup = b.group == null;
    this.group = ownGroup ? NettyTransport.group(b.ioThreads, "ringkv-client") : b.group;
    this.nodes = new Nodes(group, b.connectTimeout, b.connectionsPerNode, b.maxFrameBytes,
        SUSPECT_FOR);
    this.ring = new RingState(this::fetchRing);
    this.periodicRefresh = routing == Routing.PARTITION_AWARE && !b.ringRefresh.isZero()
        ? group.next().scheduleAtFixedRate(() -> ring.refresh(), b.ringRefresh.toMillis(),
            b.ringRefresh.toMillis(), TimeUnit.MILLISECONDS)
        : null;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Routing routing() {
    return routing;
  }

  // ---------------------------------------------------------------- asynchronous (KvStore)

  @Override
  public CompletableFuture<GetResult> get(Key key, RequestOptions options) {
    GetRequest.Builder g = GetRequest.newBuilder().setBucket(key.bucket()).setKey(key.key())
        .setTimeoutMs(timeoutMs(options));
    if (options.r() > 0) {
      g.setR(options.r());
    }
    if (options.pr() > 0) {
      g.setPr(options.pr());
    }
    return call("get", false, key, Request.newBuilder().setGet(g), wait(options), r -> {
      expect(r, Response.ResultCase.GET);
      return ClientMapping.fromProto(r.getGet());
    });
  }

  @Override
  public CompletableFuture<PutResult> put(Key key, Context context, Bytes value,
      RequestOptions options) {
    Objects.requireNonNull(value, "value");
    PutRequest.Builder p = PutRequest.newBuilder().setBucket(key.bucket()).setKey(key.key())
        .setValue(ClientMapping.wrap(value)).setContext(token(context))
        .setTimeoutMs(timeoutMs(options));
    if (options.w() > 0) {
      p.setW(options.w());
    }
    if (options.pw() > 0) {
      p.setPw(options.pw());
    }
    return call("put", true, key, Request.newBuilder().setPut(p), wait(options), r -> {
      expect(r, Response.ResultCase.PUT);
      return ClientMapping.fromProto(r.getPut());
    });
  }

  /**
   * Deletes the versions {@code context} covers; with a {@code null} (or empty) context the node
   * reads the key first and deletes every version it read.
   */
  @Override
  public CompletableFuture<PutResult> delete(Key key, Context context, RequestOptions options) {
    DeleteRequest.Builder d = DeleteRequest.newBuilder().setBucket(key.bucket())
        .setKey(key.key()).setTimeoutMs(timeoutMs(options));
    if (context != null && !context.isEmpty()) {
      d.setContext(token(context));
    }
    if (options.w() > 0) {
      d.setW(options.w());
    }
    if (options.pw() > 0) {
      d.setPw(options.pw());
    }
    return call("delete", true, key, Request.newBuilder().setDelete(d), wait(options), r -> {
      expect(r, Response.ResultCase.DELETE);
      return ClientMapping.fromProto(r.getDelete());
    });
  }

  public CompletableFuture<GetResult> getAsync(String bucket, String key) {
    return get(Key.of(bucket, key), defaults);
  }

  /** A blind write: concurrent with whatever the key holds. */
  public CompletableFuture<PutResult> putAsync(String bucket, String key, Bytes value) {
    return put(Key.of(bucket, key), Context.EMPTY, value, defaults);
  }

  public CompletableFuture<PutResult> putAsync(String bucket, String key, Bytes value,
      Context context) {
    return put(Key.of(bucket, key), context, value, defaults);
  }

  public CompletableFuture<PutResult> deleteAsync(String bucket, String key, Context context) {
    return delete(Key.of(bucket, key), context, defaults);
  }

  // ---------------------------------------------------------------- blocking

  public GetResult get(String bucket, String key) {
    return await(getAsync(bucket, key));
  }

  public GetResult get(String bucket, String key, RequestOptions options) {
    return await(get(Key.of(bucket, key), options));
  }

  /** A blind write: concurrent with whatever the key holds. */
  public PutResult put(String bucket, String key, Bytes value) {
    return await(putAsync(bucket, key, value));
  }

  /** Writes {@code value} over exactly the versions {@code context} (from a get) covers. */
  public PutResult put(String bucket, String key, Bytes value, Context context) {
    return await(putAsync(bucket, key, value, context));
  }

  public PutResult put(String bucket, String key, Bytes value, Context context,
      RequestOptions options) {
    return await(put(Key.of(bucket, key), context, value, options));
  }

  /** Deletes every version of the key the node reads first. */
  public PutResult delete(String bucket, String key) {
    return await(deleteAsync(bucket, key, null));
  }

  /** Deletes exactly the versions {@code context} (from a get) covers. */
  public PutResult delete(String bucket, String key, Context context) {
    return await(deleteAsync(bucket, key, context));
  }

  public PutResult delete(String bucket, String key, Context context, RequestOptions options) {
    return await(delete(Key.of(bucket, key), context, options));
  }

  // ---------------------------------------------------------------- read-modify-write

  /** {@link #updateAsync}, blocking. */
  public PutResult update(String bucket, String key, Function<GetResult, Bytes> change) {
    return await(updateAsync(bucket, key, change));
  }

  /**
   * A read-modify-write (Voldemort's {@code applyUpdate}): reads the key, resolves its siblings
   * with the client's {@link Builder#resolver resolver}, applies {@code change} to what that
   * leaves (a {@link GetResult} without siblings unless the resolver kept them; not found when
   * the key is absent), and writes the answer over everything it read.
   *
   * <p>A write that raced with this one is not rejected by ringkv: both are kept, as siblings.
   * So after writing, the update reads the key again; when it finds siblings, the resolver
   * merges them and the merge is written over them, up to {@link Builder#updateAttempts}
   * rounds in all. {@code change} is applied once: its result is one of the merged siblings,
   * never applied twice. A resolver that keeps the siblings leaves them for the next reader.
   *
   * @return the receipt of the last write made
   */
  public CompletableFuture<PutResult> updateAsync(String bucket, String key,
      Function<GetResult, Bytes> change) {
    Key k = Key.of(bucket, key);
    return get(k, defaults).thenCompose(current -> {
      GetResult resolved = resolve(current);
      Bytes value = change.apply(resolved);
      if (value == null) {
        throw new RingkvException(ErrorCode.INVALID_ARGUMENT, "the update of " + k
            + " returned null: return the new value (use delete to delete)");
      }
      return put(k, resolved.context(), value, defaults);
    }).thenCompose(written -> settle(k, written, 1));
  }

  /** Reads back after an update's write; siblings found are merged and written, a bounded number of times. */
  private CompletableFuture<PutResult> settle(Key k, PutResult written, int rounds) {
    return get(k, defaults).thenCompose(after -> {
      if (!after.hasConflict()) {
        return CompletableFuture.completedFuture(written);
      }
      GetResult merged = resolve(after);
      if (merged.hasConflict()) {
        return CompletableFuture.completedFuture(written); // the resolver keeps them: its call
      }
      if (rounds >= updateAttempts) {
        throw new RingkvException(ErrorCode.UNAVAILABLE, "the update of " + k + " kept meeting"
            + " concurrent writes (" + rounds + " rounds); its own write is stored, as one of "
            + after.siblings().size() + " siblings");
      }
      CompletableFuture<PutResult> next = merged.isFound()
          ? put(k, merged.context(), merged.value(), defaults)
          : delete(k, merged.context(), defaults);
      return next.thenCompose(p -> settle(k, p, rounds + 1));
    });
  }

  /** The result with its siblings resolved by the client's resolver (unchanged without siblings). */
  private GetResult resolve(GetResult result) {
    if (!result.hasConflict()) {
      return result;
    }
    Resolution resolution = resolver.resolve(result.siblings());
    if (resolution instanceof Resolution.Keep keep) {
      return new GetResult(keep.versions(), result.context());
    }
    if (resolution instanceof Resolution.Merged merged) {
      if (merged.tombstone()) {
        return GetResult.notFound(result.context());
      }
      Versioned<Bytes> newest = result.siblings().stream()
          .max(Comparator.comparingLong(Versioned::timestamp)).orElseThrow();
      return new GetResult(List.of(new Versioned<>(merged.value(), newest.dot(),
          newest.context(), merged.timestamp(), false)), result.context());
    }
    throw new AssertionError("unknown resolution " + resolution.getClass());
  }

  // ---------------------------------------------------------------- the ring

  /** Fetches the ring from the cluster now (a partition-aware client also routes by it from then on). */
  public CompletableFuture<ClientRing> ringAsync() {
    if (routing == Routing.PARTITION_AWARE) {
      return ring.refresh();
    }
    return fetchRing().thenApply(RingState::toRing);
  }

  public ClientRing ring() {
    return await(ringAsync());
  }

  /** The ring a partition-aware client routes by now, or null before the first fetch. */
  ClientRing currentRing() {
    return ring.current();
  }

  /** The ring from the first node that has one: the known nodes that are up, then the seeds. */
  private CompletableFuture<RingResponse> fetchRing() {
    Set<InetSocketAddress> targets = new LinkedHashSet<>();
    RingState.Routes known = ring.routes();
    if (known != null) {
      known.targets().values().stream().filter(RingState.Target::up)
          .forEach(t -> targets.add(t.address()));
    }
    targets.addAll(rotatedSeeds());
    List<InetSocketAddress> order = healthyFirst(new ArrayList<>(targets));
    // A node answering with an error (one just started has no ring yet) is no reason to stop.
    return attempt("ring", false, true, order, 0, order.size(), Request.newBuilder()
        .setRing(RingRequest.getDefaultInstance()), requestTimeout, r -> {
          expect(r, Response.ResultCase.RING);
          return r.getRing();
        }, null);
  }

  // ---------------------------------------------------------------- routing and retries

  private <T> CompletableFuture<T> call(String operation, boolean write, Key key,
      Request.Builder request, Duration wait, Function<Response, T> answer) {
    return targets(key).thenCompose(order -> attempt(operation, write, false, order, 0,
        Math.min(order.size(), retries + 1), request, wait, answer, null));
  }

  /** The nodes to try for {@code key}, best first; the seeds while no ring can be had. */
  private CompletableFuture<List<InetSocketAddress>> targets(Key key) {
    if (routing == Routing.ANY_NODE) {
      return CompletableFuture.completedFuture(healthyFirst(rotatedSeeds()));
    }
    return ring.routing().handle((routes, noRing) -> {
      List<InetSocketAddress> order = noRing == null ? coordinatorsFirst(routes, key, nodes)
          : List.of();
      return order.isEmpty() ? healthyFirst(rotatedSeeds()) : order;
    });
  }

  /**
   * The start of the key's preference list (its primaries and the first fall-backs, at most
   * {@value #MAX_TARGETS} nodes, so routing does not grow with the cluster), nodes believed up
   * first (primaries before fall-backs).
   */
  static List<InetSocketAddress> coordinatorsFirst(RingState.Routes routes, Key key,
      Nodes nodes) {
    List<InetSocketAddress> up = new ArrayList<>();
    List<InetSocketAddress> rest = new ArrayList<>();
    PreferenceList list = routes.ring().preferenceList(key);
    int limit = Math.max(MAX_TARGETS, list.primaries().size());
    for (NodeId id : list.all()) {
      RingState.Target t = routes.targets().get(id);
      if (t != null) {
        (t.up() && !nodes.suspect(t.address()) ? up : rest).add(t.address());
        if (up.size() + rest.size() == limit) {
          break;
        }
      }
    }
    up.addAll(rest);
    return up;
  }

  private List<InetSocketAddress> rotatedSeeds() {
    int start = Math.floorMod(nextSeed.getAndIncrement(), seeds.size());
    List<InetSocketAddress> order = new ArrayList<>(seeds.size());
    for (int i = 0; i < seeds.size(); i++) {
      order.add(seeds.get((start + i) % seeds.size()));
    }
    return order;
  }

  private List<InetSocketAddress> healthyFirst(List<InetSocketAddress> order) {
    List<InetSocketAddress> healthy = new ArrayList<>();
    List<InetSocketAddress> suspect = new ArrayList<>();
    for (InetSocketAddress a : order) {
      (nodes.suspect(a) ? suspect : healthy).add(a);
    }
    healthy.addAll(suspect);
    return healthy;
  }

  /**
   * Sends the request to {@code order[i]}, and on to the next node while that is safe, at most
   * {@code max} nodes in all; {@code pastErrors}: a node's error answer moves on too.
   */
  private <T> CompletableFuture<T> attempt(String operation, boolean write, boolean pastErrors,
      List<InetSocketAddress> order, int i, int max, Request.Builder request, Duration wait,
      Function<Response, T> answer, NodeFailure last) {
    if (i >= max || i >= order.size()) {
      return CompletableFuture.failedFuture(last != null ? last.toException(operation, write)
          : new RingkvException(ErrorCode.UNAVAILABLE, operation + " failed: no node to send it"
              + " to"));
    }
    InetSocketAddress target = order.get(i);
    return nodes.send(target, request.clone(), wait).handle((response, failure) -> {
      if (failure == null) {
        if (routing == Routing.PARTITION_AWARE) {
          ring.seen(response.getRingVersion());
        }
        if (response.hasError()) {
          RingkvException error = ClientMapping.fromProto(response.getError(), operation);
          return pastErrors
              ? attempt(operation, write, true, order, i + 1, max, request, wait, answer,
                  NodeFailure.answered(target, error))
              : CompletableFuture.<T>failedFuture(error);
        }
        try {
          return CompletableFuture.completedFuture(answer.apply(response));
        } catch (RuntimeException malformed) {
          return CompletableFuture.<T>failedFuture(new RingkvException(ErrorCode.INTERNAL,
              "node " + HostPort.format(target) + " answered the " + operation + " with a malformed response: "
                  + malformed.getMessage(), malformed));
        }
      }
      NodeFailure f = Nodes.unwrap(failure) instanceof NodeFailure nf ? nf
          : NodeFailure.lost(target, String.valueOf(Nodes.unwrap(failure)));
      if (f.kind() == NodeFailure.Kind.ANSWERED) {
        return CompletableFuture.<T>failedFuture(f.toException(operation, write));
      }
      boolean safe = f.kind() == NodeFailure.Kind.NOT_SENT || !write;
      if (safe) {
        return attempt(operation, write, pastErrors, order, i + 1, max, request, wait, answer,
            f);
      }
      return CompletableFuture.<T>failedFuture(f.toException(operation, write));
    }).thenCompose(Function.identity());
  }

  private static void expect(Response r, Response.ResultCase expected) {
    if (r.getResultCase() != expected) {
      throw new IllegalArgumentException("expected a " + expected + " result, got "
          + r.getResultCase());
    }
  }

  private static com.google.protobuf.ByteString token(Context context) {
    return context == null ? com.google.protobuf.ByteString.EMPTY
        : ClientMapping.wrap(context.token());
  }

  private static long timeoutMs(RequestOptions options) {
    return options.timeout() == null ? 0 : options.timeout().toMillis();
  }

  private Duration wait(RequestOptions options) {
    return options.timeout() == null ? requestTimeout : options.timeout().plus(ANSWER_MARGIN);
  }

  /** The future's value; its failure rethrown as it is (a {@link RingkvException}). */
  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      Throwable cause = Nodes.unwrap(e);
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new RingkvException(ErrorCode.INTERNAL, String.valueOf(cause), cause);
    }
  }

  /** Closes every connection; requests still in flight fail with {@code UNAVAILABLE}. */
  @Override
  public void close() {
    if (periodicRefresh != null) {
      periodicRefresh.cancel(false);
    }
    nodes.close();
    if (ownGroup) {
      io.netty.util.concurrent.Future<?> done = group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
      for (EventExecutor e : group) {
        if (e.inEventLoop()) {
          return; // closed from a callback of this client: do not wait for our own thread
        }
      }
      done.awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }

  // ---------------------------------------------------------------- the builder

  /** How to build a {@link RingkvClient}; only the seeds are required. */
  public static final class Builder {
    private final List<InetSocketAddress> seeds = new ArrayList<>();
    private Routing routing = Routing.PARTITION_AWARE;
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private int retries = 2;
    private int connectionsPerNode = 1;
    private int ioThreads = 1;
    private EventLoopGroup group;
    private int maxFrameBytes = ClientFrames.DEFAULT_MAX_FRAME_BYTES;
    private ConflictResolver resolver = siblings -> new Resolution.Keep(siblings);
    private int updateAttempts = 3;
    private RequestOptions defaults = RequestOptions.DEFAULT;
    private Duration ringRefresh = Duration.ofSeconds(30);

    private Builder() {}

    /**
     * Nodes to start from, as {@code host:port} of their client ports ({@code host} alone means
     * port {@value RingkvClient#DEFAULT_PORT}; IPv6 as {@code [::1]:8087}). With
     * {@link Routing#ANY_NODE} these are the only nodes the client talks to.
     */
    public Builder seeds(String... hostPorts) {
      for (String s : hostPorts) {
        seeds.add(HostPort.parse(s, DEFAULT_PORT));
      }
      return this;
    }

    public Builder seeds(List<String> hostPorts) {
      return seeds(hostPorts.toArray(String[]::new));
    }

    public Builder seed(InetSocketAddress address) {
      seeds.add(Objects.requireNonNull(address, "address"));
      return this;
    }

    /** {@link Routing#PARTITION_AWARE} unless set. */
    public Builder routing(Routing routing) {
      this.routing = Objects.requireNonNull(routing, "routing");
      return this;
    }

    /** How long to wait for a TCP connection to a node (default 2 s). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /**
     * How long to wait for a node's answer when the request names no timeout of its own
     * (default 10 s); keep it above the nodes' {@code request.timeout.ms}.
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "requestTimeout");
      return this;
    }

    /** How many other nodes a request may be sent to after the first failed (default 2). */
    public Builder retries(int retries) {
      if (retries < 0) {
        throw new IllegalArgumentException("retries must be 0 or more, was " + retries);
      }
      this.retries = retries;
      return this;
    }

    /** Connections kept to each node, requests spread over them (default 1: they pipeline). */
    public Builder connectionsPerNode(int connections) {
      if (connections < 1 || connections > 64) {
        throw new IllegalArgumentException("connectionsPerNode must be 1 to 64, was "
            + connections);
      }
      this.connectionsPerNode = connections;
      return this;
    }

    /** Threads of the client's own event loop group (default 1). */
    public Builder ioThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("ioThreads must be at least 1, was " + threads);
      }
      this.ioThreads = threads;
      return this;
    }

    /**
     * Runs on this group (which the client does not shut down) instead of a group of its own: a
     * NIO group, or an epoll one; the client picks its socket class to match.
     */
    public Builder eventLoopGroup(EventLoopGroup group) {
      this.group = Objects.requireNonNull(group, "group");
      return this;
    }

    /** The largest answer the client takes (default 256 MiB); larger ones fail with TOO_LARGE. */
    public Builder maxFrameBytes(int bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxFrameBytes must be at least 1024, was " + bytes);
      }
      this.maxFrameBytes = bytes;
      return this;
    }

    /**
     * How {@link #updateAsync update} resolves siblings (default: keeps them all, so the update
     * function sees them). A {@link io.ringkv.api.MergeResolver} merges them into one value.
     */
    public Builder resolver(ConflictResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /** Rounds of write-then-check an update makes before it gives up (default 3). */
    public Builder updateAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("updateAttempts must be at least 1, was " + attempts);
      }
      this.updateAttempts = attempts;
      return this;
    }

    /** r, w, pr, pw and timeout of the calls that take no options (default: the bucket's). */
    public Builder defaultOptions(RequestOptions options) {
      this.defaults = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * How often a partition-aware client fetches the ring even when no node said it changed, to
     * learn which nodes are up (default 30 s; zero: never).
     */
    public Builder ringRefreshInterval(Duration interval) {
      if (interval == null || interval.isNegative()) {
        throw new IllegalArgumentException("ringRefreshInterval must be zero or positive");
      }
      this.ringRefresh = interval;
      return this;
    }

    public RingkvClient build() {
      if (seeds.isEmpty()) {
        throw new IllegalArgumentException("a client needs at least one seed node (host:port)");
      }
      return new RingkvClient(this);
    }

    private static Duration positive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }
  }
}
