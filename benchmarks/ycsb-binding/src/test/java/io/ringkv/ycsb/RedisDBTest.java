package io.ringkv.ycsb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;
import site.ycsb.StringByteIterator;

/**
 * The Redis binding against a real redis-server on a loopback port of its own; skipped where
 * redis-server is not installed (benchmarks/ycsb.sh installs it).
 */
@Timeout(60)
class RedisDBTest {
  @TempDir
  Path dir;
  private Process redis;
  private DB db;

  @AfterEach
  void stop() throws Exception {
    if (db != null) {
      db.cleanup();
    }
    if (redis != null) {
      redis.destroy();
      redis.waitFor();
    }
  }

  private static boolean installed() {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, "redis-server"))) {
        return true;
      }
    }
    return false;
  }

  private DB start() throws Exception {
    assumeTrue(installed(), "redis-server is not installed");
    int port = freePort();
    redis = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind",
        "127.0.0.1", "--dir", dir.toString(), "--save", "").redirectErrorStream(true)
        .redirectOutput(dir.resolve("redis.log").toFile()).start();
    Awaitility.await("redis-server on port " + port).atMost(Duration.ofSeconds(20))
        .ignoreExceptions().until(() -> {
          try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
          }
        });
    db = new RedisDB();
    Properties p = new Properties();
    p.setProperty("redis.port", String.valueOf(port));
    db.setProperties(p);
    db.init();
    return db;
  }

  @Test
  void insertReadUpdateAndDelete() throws Exception {
    DB redisDb = start();
    Map<String, ByteIterator> values = new LinkedHashMap<>();
    values.put("field0", new StringByteIterator("zero"));
    values.put("field1", new StringByteIterator("one"));

    assertThat(redisDb.insert("usertable", "user1", values)).isEqualTo(Status.OK);
    Map<String, ByteIterator> read = new HashMap<>();
    assertThat(redisDb.read("usertable", "user1", Set.of("field1"), read)).isEqualTo(Status.OK);
    assertThat(read).containsOnlyKeys("field1");
    assertThat(read.get("field1").toString()).isEqualTo("one");
    assertThat(redisDb.read("usertable", "nobody", null, new HashMap<>()))
        .isEqualTo(Status.NOT_FOUND);
    assertThat(redisDb.delete("usertable", "user1")).isEqualTo(Status.OK);
    assertThat(redisDb.read("usertable", "user1", null, new HashMap<>()))
        .isEqualTo(Status.NOT_FOUND);
  }

  @Test
  void aServerThatIsNotThereFailsInit() throws IOException {
    DB absent = new RedisDB();
    Properties p = new Properties();
    p.setProperty("redis.port", String.valueOf(freePort()));
    absent.setProperties(p);

    assertThatThrownBy(absent::init).isInstanceOf(DBException.class)
        .hasMessageContaining("cannot reach Redis");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
