package io.ringkv.transport.netty.internal;

import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.ErrorCode;
import io.ringkv.api.GetResult;
import io.ringkv.api.InvalidContextException;
import io.ringkv.api.Key;
import io.ringkv.api.KvStore;
import io.ringkv.api.PutResult;
import io.ringkv.api.RequestOptions;
import io.ringkv.api.RingkvException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The rules of a key request, whatever protocol carried it: the key and value limits, the quorum
 * parameters, the context, and a delete without a context. Both the HTTP API and the binary client
 * protocol call this one layer, so a rule is written once and both answer a broken one with the
 * same {@link ErrorCode} and the same words; each protocol only turns the code into its own form
 * (an HTTP status, an error frame).
 *
 * <p>Never blocks; a broken rule throws {@link RingkvException} at once (before anything is sent),
 * a failure of the store completes the returned future.
 */
public final class KeyRequests {
  private final KvStore store;
  private final int maxKeyBytes;
  private final int maxValueBytes;

  public KeyRequests(KvStore store, int maxKeyBytes, int maxValueBytes) {
    this.store = store;
    this.maxKeyBytes = maxKeyBytes;
    this.maxValueBytes = maxValueBytes;
  }

  public int maxKeyBytes() {
    return maxKeyBytes;
  }

  public int maxValueBytes() {
    return maxValueBytes;
  }

  /**
   * The key, checked against the key limit.
   *
   * @throws RingkvException {@code TOO_LARGE} past the limit, {@code INVALID_ARGUMENT} for a bucket
   *     or key the vocabulary refuses
   */
  public Key key(String bucket, String key) {
    int keyBytes = key.getBytes(StandardCharsets.UTF_8).length;
    if (keyBytes > maxKeyBytes) {
      throw new RingkvException(ErrorCode.TOO_LARGE, "key of " + keyBytes
          + " bytes exceeds the limit of " + maxKeyBytes + " bytes");
    }
    return Key.of(bucket, key);
  }

  /** @throws RingkvException {@code TOO_LARGE} for a value past the limit */
  public void checkValue(long length) {
    if (length > maxValueBytes) {
      throw new RingkvException(ErrorCode.TOO_LARGE, "value of " + length
          + " bytes exceeds the limit of " + maxValueBytes + " bytes");
    }
  }

  /**
   * A read's options: {@code r} (null: the bucket's own; else at least 1) and {@code pr}
   * (null: none; else at least 0).
   */
  public static RequestOptions readOptions(Integer r, Integer pr) {
    return new RequestOptions(quorum("r", r), 0, primaries("pr", pr), 0, null);
  }

  /** A write's options: {@code w} and {@code pw}, as {@link #readOptions} takes r and pr. */
  public static RequestOptions writeOptions(Integer w, Integer pw) {
    return new RequestOptions(0, quorum("w", w), 0, primaries("pw", pw), null);
  }

  private static int quorum(String name, Integer value) {
    if (value == null) {
      return 0;
    }
    if (value < 1) {
      throw new RingkvException(ErrorCode.INVALID_QUORUM, name + "=" + value
          + " breaks the quorum rule 1 <= " + name + " <= n");
    }
    return value;
  }

  private static int primaries(String name, Integer value) {
    if (value == null) {
      return 0;
    }
    if (value < 0) {
      throw new RingkvException(ErrorCode.INVALID_QUORUM, name + "=" + value
          + " breaks the rule 0 <= " + name + " <= n");
    }
    return value;
  }

  /**
   * A context token as a client sent it: null or empty is the empty context. Whether it is one
   * ringkv issued is checked by the store, which decodes it once, before anything is sent.
   */
  public static Context context(byte[] token) {
    return token == null || token.length == 0 ? Context.EMPTY : new Context(Bytes.of(token));
  }

  /**
   * A refused context, said the same way by every protocol: {@code where} names where the client
   * put it (the X-Context header, the context field).
   */
  public static InvalidContextException badContext(String where, String shown,
      InvalidContextException e) {
    return new InvalidContextException(where + " '" + shown + "' is not a context from a ringkv "
        + "get: " + e.getMessage());
  }

  public CompletableFuture<GetResult> get(Key key, RequestOptions options) {
    return store.get(key, options);
  }

  /** Writes {@code value} over what {@code context} covers; the value is checked first. */
  public CompletableFuture<PutResult> put(Key key, Context context, Bytes value,
      RequestOptions options) {
    checkValue(value.length());
    return store.put(key, context, value, options);
  }

  /**
   * Deletes what {@code context} covers; with no context (null), reads first (within the
   * request's timeout) and deletes what it read (every version there is, as a client that read
   * them would).
   */
  public CompletableFuture<PutResult> delete(Key key, Context context, RequestOptions options) {
    if (context != null) {
      return store.delete(key, context, options);
    }
    return store.get(key, RequestOptions.DEFAULT.withTimeout(options.timeout()))
        .thenCompose(read -> store.delete(key, read.context(), options));
  }

  /**
   * {@code f}, with a context the store refused reported as {@code where} says: each protocol
   * names where the context came in (the X-Context header, the context field).
   */
  public static <T> CompletableFuture<T> namingTheContext(CompletableFuture<T> f,
      Function<InvalidContextException, InvalidContextException> where) {
    return f.exceptionally(error -> {
      Throwable t = error instanceof CompletionException && error.getCause() != null
          ? error.getCause() : error;
      if (t instanceof InvalidContextException e) {
        throw where.apply(e);
      }
      throw error instanceof CompletionException c ? c : new CompletionException(error);
    });
  }
}
