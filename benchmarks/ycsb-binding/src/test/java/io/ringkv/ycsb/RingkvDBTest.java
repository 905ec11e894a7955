package io.ringkv.ycsb;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.server.config.ConfigLoader;
import io.ringkv.server.config.ServerConfig;
import io.ringkv.server.node.RingkvNode;
import io.ringkv.server.wiring.StorageModule;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.Status;
import site.ycsb.StringByteIterator;

/** The binding against one real node started in this JVM, serving the binary protocol on loopback. */
@Timeout(60)
class RingkvDBTest {
  @TempDir
  Path dir;
  private RingkvNode node;
  private final List<DB> dbs = new java.util.ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (DB db : dbs) {
      db.cleanup();
    }
    if (node != null) {
      node.close();
    }
  }

  private int startNode() throws IOException {
    int clientPort = freePort();
    Properties sys = new Properties();
    sys.setProperty("node.id", "solo");
    sys.setProperty("node.host", "127.0.0.1");
    sys.setProperty("node.port", String.valueOf(freePort()));
    sys.setProperty("http.port", String.valueOf(freePort()));
    sys.setProperty("client.port", String.valueOf(clientPort));
    sys.setProperty("storage.engine", "memory");
    sys.setProperty("storage.dir", dir.resolve("data").toString());
    sys.setProperty("plugins.dir", dir.resolve("plugins").toString());
    sys.setProperty("replication.n", "1");
    sys.setProperty("replication.r", "1");
    sys.setProperty("replication.w", "1");
    sys.setProperty("bucket.usertable.resolver", "lww");
    ServerConfig config = new ConfigLoader(Map.of(), sys, StorageModule.ENGINES,
        plugins -> new TreeSet<>(List.of("siblings", "lww"))).load(null);
    node = RingkvNode.start(config, List.of());
    return clientPort;
  }

  private DB db(int port, String routing) throws Exception {
    Properties p = new Properties();
    p.setProperty("ringkv.seeds", "127.0.0.1:" + port);
    p.setProperty("ringkv.routing", routing);
    p.setProperty("ringkv.timeout", "2000");
    DB db = new RingkvDB();
    db.setProperties(p);
    db.init();
    dbs.add(db);
    return db;
  }

  private static Map<String, ByteIterator> record(String tag) {
    Map<String, ByteIterator> values = new LinkedHashMap<>();
    for (int i = 0; i < 10; i++) {
      values.put("field" + i, new StringByteIterator(tag + "-" + i + "x".repeat(90)));
    }
    return values;
  }

  @ParameterizedTest
  @ValueSource(strings = {"PARTITION_AWARE", "ANY_NODE"})
  void insertReadUpdateAndDeleteAsYcsbCallsThem(String routing) throws Exception {
    DB db = db(startNode(), routing);

    assertThat(db.insert("usertable", "user1", record("first"))).isEqualTo(Status.OK);
    Map<String, ByteIterator> read = new HashMap<>();
    assertThat(db.read("usertable", "user1", null, read)).isEqualTo(Status.OK);
    assertThat(read).hasSize(10);
    assertThat(read.get("field7").toString()).startsWith("first-7");

    assertThat(db.update("usertable", "user1", record("second"))).isEqualTo(Status.OK);
    Map<String, ByteIterator> some = new HashMap<>();
    assertThat(db.read("usertable", "user1", Set.of("field2"), some)).isEqualTo(Status.OK);
    assertThat(some).containsOnlyKeys("field2");
    assertThat(some.get("field2").toString()).as("a blind update on lww wins").startsWith("second-2");

    assertThat(db.read("usertable", "nobody", null, new HashMap<>())).isEqualTo(Status.NOT_FOUND);
    assertThat(db.delete("usertable", "user1")).isEqualTo(Status.OK);
    assertThat(db.read("usertable", "user1", null, new HashMap<>())).isEqualTo(Status.NOT_FOUND);
    assertThat(db.scan("usertable", "user1", 10, null, new java.util.Vector<>()))
        .isEqualTo(Status.NOT_IMPLEMENTED);
  }

  @Test
  void threadsShareOneClientThatClosesWithTheLast() throws Exception {
    int port = startNode();
    DB first = db(port, "PARTITION_AWARE");
    DB second = db(port, "PARTITION_AWARE");
    assertThat(first.insert("usertable", "k", record("a"))).isEqualTo(Status.OK);

    first.cleanup();
    dbs.remove(first);

    assertThat(second.read("usertable", "k", null, new HashMap<>())).isEqualTo(Status.OK);
  }

  @Test
  void aNodeThatIsNotThereIsAnErrorStatusNotAnException() throws Exception {
    DB db = db(freePort(), "ANY_NODE");

    assertThat(db.insert("usertable", "k", record("a"))).isEqualTo(Status.ERROR);
    assertThat(db.read("usertable", "k", null, new HashMap<>())).isEqualTo(Status.ERROR);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
