package io.ringkv.ycsb;

import io.ringkv.api.Bytes;
import io.ringkv.api.Context;
import io.ringkv.api.GetResult;
import io.ringkv.api.RequestOptions;
import io.ringkv.api.RingkvException;
import io.ringkv.client.RingkvClient;
import io.ringkv.client.Routing;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.Vector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;

/**
 * YCSB on ringkv through the {@code client} module's binary protocol. Every YCSB thread shares
 * one {@link RingkvClient} (it is thread-safe and pools connections per node). Updates and
 * inserts are blind writes (no context, as Cassandra's are), meant for a bucket whose resolver is
 * {@code lww}; a record is one value ({@link Fields}). Scans are not supported.
 *
 * <p>Properties: {@code ringkv.seeds} (host:port of client ports, comma-separated; default
 * {@code 127.0.0.1:8087}), {@code ringkv.routing} ({@code PARTITION_AWARE}, the default, or
 * {@code ANY_NODE}), {@code ringkv.bucket} (default: the YCSB table), {@code ringkv.r} and
 * {@code ringkv.w} (0, the default, keeps the bucket's), {@code ringkv.timeout} (ms, default
 * 5000), {@code ringkv.connections} (per node, default 2).
 */
public final class RingkvDB extends DB {
  private static final Logger log = LoggerFactory.getLogger(RingkvDB.class);
  private static final Object LOCK = new Object();
  private static RingkvClient shared;
  private static int users;

  private RingkvClient client;
  private RequestOptions options;
  private String bucket;

  @Override
  public void init() throws DBException {
    Properties p = getProperties();
    try {
      int r = Integer.parseInt(p.getProperty("ringkv.r", "0"));
      int w = Integer.parseInt(p.getProperty("ringkv.w", "0"));
      Duration timeout = Duration.ofMillis(Long.parseLong(p.getProperty("ringkv.timeout", "5000")));
      options = new RequestOptions(r, w, timeout);
      bucket = p.getProperty("ringkv.bucket", "");
      synchronized (LOCK) {
        if (shared == null) {
          List<String> seeds = Arrays.asList(p.getProperty("ringkv.seeds", "127.0.0.1:8087")
              .split("\\s*,\\s*"));
          Routing routing = Routing.valueOf(p.getProperty("ringkv.routing", "PARTITION_AWARE"));
          shared = RingkvClient.builder().seeds(seeds).routing(routing)
              .connectionsPerNode(Integer.parseInt(p.getProperty("ringkv.connections", "2")))
              .requestTimeout(timeout).build();
          log.info("ringkv YCSB binding: seeds {}, routing {}, r={} w={} (0: the bucket's)",
              seeds, routing, r, w);
        }
        users++;
        client = shared;
      }
    } catch (RuntimeException e) {
      throw new DBException("cannot start the ringkv client: " + e.getMessage(), e);
    }
  }

  @Override
  public void cleanup() throws DBException {
    synchronized (LOCK) {
      if (client != null && --users == 0) {
        shared.close();
        shared = null;
      }
      client = null;
    }
  }

  private String bucket(String table) {
    return bucket.isEmpty() ? table : bucket;
  }

  @Override
  public Status read(String table, String key, Set<String> fields,
      Map<String, ByteIterator> result) {
    try {
      GetResult got = client.get(bucket(table), key, options);
      if (!got.isFound()) {
        return Status.NOT_FOUND;
      }
      // An lww bucket answers one value; were there siblings, any one is a whole record.
      Fields.decode(got.siblings().get(0).value().toByteArray(), fields, result);
      return Status.OK;
    } catch (RingkvException | IllegalArgumentException e) {
      return failed("read", key, e);
    }
  }

  @Override
  public Status scan(String table, String startkey, int recordcount, Set<String> fields,
      Vector<HashMap<String, ByteIterator>> result) {
    return Status.NOT_IMPLEMENTED;
  }

  @Override
  public Status update(String table, String key, Map<String, ByteIterator> values) {
    return write("update", table, key, values);
  }

  @Override
  public Status insert(String table, String key, Map<String, ByteIterator> values) {
    return write("insert", table, key, values);
  }

  private Status write(String what, String table, String key, Map<String, ByteIterator> values) {
    try {
      client.put(bucket(table), key, Bytes.of(Fields.encode(values)), Context.EMPTY, options);
      return Status.OK;
    } catch (RingkvException e) {
      return failed(what, key, e);
    }
  }

  @Override
  public Status delete(String table, String key) {
    try {
      client.delete(bucket(table), key, null, options);
      return Status.OK;
    } catch (RingkvException e) {
      return failed("delete", key, e);
    }
  }

  private static Status failed(String what, String key, Exception e) {
    log.debug("{} of {} failed: {}", what, key, e.getMessage());
    return Status.ERROR;
  }
}
