package io.ringkv.ycsb;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.Vector;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;

/**
 * YCSB on one Redis server through Jedis, the yardstick of {@code benchmarks/ycsb.sh}: a record is
 * one value (the same {@link Fields} bytes ringkv stores) under {@code table:key}, written with
 * SET and read with GET, one connection per YCSB thread. Scans are not supported.
 *
 * <p>Properties: {@code redis.host} (default 127.0.0.1), {@code redis.port} (default 6379),
 * {@code redis.timeout} (ms, default 5000).
 */
public final class RedisDB extends DB {
  private Jedis jedis;

  @Override
  public void init() throws DBException {
    Properties p = getProperties();
    try {
      jedis = new Jedis(p.getProperty("redis.host", "127.0.0.1"),
          Integer.parseInt(p.getProperty("redis.port", "6379")),
          Integer.parseInt(p.getProperty("redis.timeout", "5000")));
      jedis.ping();
    } catch (JedisException | NumberFormatException e) {
      throw new DBException("cannot reach Redis: " + e.getMessage(), e);
    }
  }

  @Override
  public void cleanup() {
    if (jedis != null) {
      jedis.close();
    }
  }

  private static byte[] id(String table, String key) {
    return (table + ":" + key).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public Status read(String table, String key, Set<String> fields,
      Map<String, ByteIterator> result) {
    try {
      byte[] value = jedis.get(id(table, key));
      if (value == null) {
        return Status.NOT_FOUND;
      }
      Fields.decode(value, fields, result);
      return Status.OK;
    } catch (JedisException | IllegalArgumentException e) {
      return Status.ERROR;
    }
  }

  @Override
  public Status scan(String table, String startkey, int recordcount, Set<String> fields,
      Vector<HashMap<String, ByteIterator>> result) {
    return Status.NOT_IMPLEMENTED;
  }

  @Override
  public Status update(String table, String key, Map<String, ByteIterator> values) {
    return insert(table, key, values);
  }

  @Override
  public Status insert(String table, String key, Map<String, ByteIterator> values) {
    try {
      jedis.set(id(table, key), Fields.encode(values));
      return Status.OK;
    } catch (JedisException e) {
      return Status.ERROR;
    }
  }

  @Override
  public Status delete(String table, String key) {
    try {
      return jedis.del(id(table, key)) == 1 ? Status.OK : Status.NOT_FOUND;
    } catch (JedisException e) {
      return Status.ERROR;
    }
  }
}
