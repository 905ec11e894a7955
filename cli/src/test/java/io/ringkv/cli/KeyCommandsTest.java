package io.ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code ringkv get | put | delete} against a fake node: outputs, exit codes, error paths. */
class KeyCommandsTest {
  private static final String NL = System.lineSeparator();
  private final FakeNode node = FakeNode.start();

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void putPrintsTheNewContextAndGetPrintsTheValueAndItsContext() {
    Cli.Run put = Cli.run("put", "users", "alice", "Alice Smith", "--http", "--node", node.address());
    assertThat(put.exit()).as("%s", put).isZero();
    assertThat(put.out()).isEqualTo("ctx1" + NL);
    assertThat(put.err()).isEmpty();
    FakeNode.Request sent = node.requests("/buckets/").get(0);
    assertThat(sent.method()).isEqualTo("PUT");
    assertThat(sent.path()).isEqualTo("/buckets/users/keys/alice");
    assertThat(sent.query()).isNull();
    assertThat(sent.header("X-Context")).isNull();
    assertThat(sent.bodyText()).isEqualTo("Alice Smith");

    Cli.Run get = Cli.run("get", "users", "alice", "--http", "--node", node.address());
    assertThat(get.exit()).as("%s", get).isZero();
    assertThat(get.out()).isEqualTo("Alice Smith");
    assertThat(get.err()).isEqualTo("context: ctx1" + NL);
  }

  @Test
  void putSendsTheContextAndW() {
    Cli.Run put = Cli.run("put", "users", "alice", "v2", "--context", "ctx9", "--w", "3",
        "--http", "--node", node.address(), "--json");
    assertThat(put.exit()).as("%s", put).isZero();
    assertThat(put.out()).isEqualTo("{\"context\": \"ctx1\"}" + NL);
    FakeNode.Request sent = node.requests("/buckets/").get(0);
    assertThat(sent.header("X-Context")).isEqualTo("ctx9");
    assertThat(sent.query()).isEqualTo("w=3");
  }

  @Test
  void putWithADashReadsTheValueFromStdin() {
    byte[] binary = {0, 1, 2, (byte) 0xff, '\n'};
    Cli.Run put = Cli.runWithInput(binary, "put", "files", "f1", "-", "--http", "--node", node.address());
    assertThat(put.exit()).as("%s", put).isZero();
    assertThat(node.requests("/buckets/").get(0).body()).isEqualTo(binary);

    Cli.Run get = Cli.run("get", "files", "f1", "--http", "--node", node.address());
    assertThat(get.outBytes()).as("raw bytes, nothing added").isEqualTo(binary);
  }

  @Test
  void bucketsAndKeysArePercentEncodedInThePath() {
    Cli.Run put = Cli.run("put", "my bucket", "a/b?c", "v", "--http", "--node", node.address());
    assertThat(put.exit()).as("%s", put).isZero();
    assertThat(node.requests("/buckets/").get(0).path())
        .isEqualTo("/buckets/my%20bucket/keys/a%2Fb%3Fc");
  }

  @Test
  void getWithJsonAndR() {
    node.stored("users", "alice", "Alice \"A\" Smith".getBytes(StandardCharsets.UTF_8), "ctx7");
    Cli.Run get = Cli.run("get", "users", "alice", "--r", "3", "--json", "--http", "--node", node.address());
    assertThat(get.exit()).as("%s", get).isZero();
    assertThat(get.out())
        .isEqualTo("{\"found\": true, \"value\": \"Alice \\\"A\\\" Smith\", \"context\": \"ctx7\"}" + NL);
    assertThat(get.err()).isEmpty();
    assertThat(node.requests("/buckets/").get(0).query()).isEqualTo("r=3");
    assertThat(Json.parse(get.out().trim())).isEqualTo(Map.of("found", true,
        "value", "Alice \"A\" Smith", "context", "ctx7"));
  }

  @Test
  void aValueThatIsNotUtf8IsBase64InJson() {
    node.stored("b", "k", new byte[] {(byte) 0xc3, (byte) 0x28}, "c1");
    Cli.Run get = Cli.run("get", "b", "k", "--json", "--http", "--node", node.address());
    assertThat(get.out()).isEqualTo("{\"found\": true, \"valueBase64\": \"wyg=\", \"context\": \"c1\"}"
        + NL);
  }

  @Test
  void siblingsGetAHeaderOneLineEachAndTheContextOnStderr() {
    node.answer("GET", "/buckets/users/keys/alice", 300,
        Map.of("Content-Type", "application/json", "X-Context", "ctxS"),
        "{\"context\": \"ctxS\", \"siblings\": ["
            + "{\"value\": \"QWxpY2UgU21pdGg=\", \"timestamp\": 1700000000000},"
            + "{\"value\": \"/w==\", \"timestamp\": 1700000000123}]}");
    Cli.Run get = Cli.run("get", "users", "alice", "--http", "--node", node.address());
    assertThat(get.exit()).as("%s", get).isZero();
    assertThat(get.out()).isEqualTo("2 siblings" + NL
        + "[1] 2023-11-14T22:13:20Z  \"Alice Smith\"" + NL
        + "[2] 2023-11-14T22:13:20.123Z  base64:/w==" + NL);
    assertThat(get.err()).isEqualTo("context: ctxS" + NL
        + "(resolve with: ringkv put users alice VALUE --context ctxS)" + NL);

    Cli.Run json = Cli.run("get", "users", "alice", "--json", "--http", "--node", node.address());
    assertThat(json.exit()).isZero();
    assertThat(json.out()).isEqualTo("{\"found\": true, \"siblings\": ["
        + "{\"value\": \"Alice Smith\", \"timestamp\": 1700000000000}, "
        + "{\"valueBase64\": \"/w==\", \"timestamp\": 1700000000123}], \"context\": \"ctxS\"}" + NL);
  }

  @Test
  void aMalformedSiblingsBodyIsAClearFailure() {
    node.answer("GET", "/buckets/b/keys/k", 300, Map.of(), "{\"context\": \"c\"}");
    Cli.Run get = Cli.run("get", "b", "k", "--http", "--node", node.address());
    assertThat(get.exit()).isEqualTo(1);
    assertThat(get.err()).isEqualTo("ringkv: the node answered 300 without a \"siblings\" list" + NL);
  }

  @Test
  void notFoundExitsOne() {
    Cli.Run get = Cli.run("get", "users", "nobody", "--http", "--node", node.address());
    assertThat(get.exit()).isEqualTo(1);
    assertThat(get.out()).isEmpty();
    assertThat(get.err()).isEqualTo("not found" + NL);

    Cli.Run json = Cli.run("get", "users", "nobody", "--json", "--http", "--node", node.address());
    assertThat(json.exit()).isEqualTo(1);
    assertThat(json.out()).isEqualTo("{\"found\": false, \"context\": null}" + NL);
    assertThat(json.err()).isEmpty();
  }

  @Test
  void deleteSendsTheContext() {
    node.stored("users", "alice", "x".getBytes(StandardCharsets.UTF_8), "ctx3");
    Cli.Run delete = Cli.run("delete", "users", "alice", "--context", "ctx3", "--w", "2",
        "--http", "--node", node.address());
    assertThat(delete.exit()).as("%s", delete).isZero();
    assertThat(delete.out()).isEqualTo("deleted users/alice" + NL);
    FakeNode.Request sent = node.requests("/buckets/").get(0);
    assertThat(sent.method()).isEqualTo("DELETE");
    assertThat(sent.header("X-Context")).isEqualTo("ctx3");
    assertThat(sent.query()).isEqualTo("w=2");
    assertThat(Cli.run("get", "users", "alice", "--http", "--node", node.address()).exit()).isEqualTo(1);

    Cli.Run json = Cli.run("delete", "users", "alice", "--context", "ctx3", "--json",
        "--http", "--node", node.address());
    assertThat(json.out()).isEqualTo("{\"deleted\": true, \"context\": null}" + NL);
  }

  @Test
  void aBadRequestShowsTheNodesMessageAndExitsOne() {
    node.answer("GET", "/buckets/users/keys/alice", 400, Map.of("Content-Type", "application/json"),
        "{\"error\": \"r + w must be greater than n: r=1, w=2, n=3\"}");
    Cli.Run get = Cli.run("get", "users", "alice", "--r", "1", "--http", "--node", node.address());
    assertThat(get.exit()).isEqualTo(1);
    assertThat(get.out()).isEmpty();
    assertThat(get.err())
        .isEqualTo("ringkv: r + w must be greater than n: r=1, w=2, n=3 (HTTP 400)" + NL);
  }

  @Test
  void quorumNotReachedExitsThree() {
    node.answer("PUT", "/buckets/users/keys/alice", 503, Map.of(),
        "{\"error\": \"quorum not reached: 1 of W=2 replicas acknowledged\"}");
    Cli.Run put = Cli.run("put", "users", "alice", "v", "--http", "--node", node.address());
    assertThat(put.exit()).isEqualTo(3);
    assertThat(put.err()).isEqualTo(
        "ringkv: quorum not reached: 1 of W=2 replicas acknowledged (HTTP 503)" + NL);
  }

  @Test
  void aBodyThatIsNotJsonIsShownAsText() {
    node.answer("GET", "/buckets/b/keys/k", 413, Map.of(), "key too large\n(max 1024 bytes)");
    Cli.Run get = Cli.run("get", "b", "k", "--http", "--node", node.address());
    assertThat(get.exit()).isEqualTo(1);
    assertThat(get.err()).isEqualTo("ringkv: key too large (max 1024 bytes) (HTTP 413)" + NL);

    node.answer("PUT", "/buckets/b/keys/k", 502, Map.of(), "");
    Cli.Run put = Cli.run("put", "b", "k", "v", "--http", "--node", node.address());
    assertThat(put.exit()).isEqualTo(1);
    assertThat(put.err()).isEqualTo("ringkv: the node answered 502 without a message (HTTP 502)"
        + NL);
  }

  @Test
  void aNodeThatIsNotListeningExitsFour() {
    String address = "127.0.0.1:" + Cli.closedPort();
    for (List<String> args : List.of(List.of("get", "b", "k"), List.of("put", "b", "k", "v"),
        List.of("delete", "b", "k", "--context", "ctx3"), List.of("ring"), List.of("members"))) {
      String[] full = new String[args.size() + 2];
      args.toArray(full);
      full[args.size()] = "--node";
      full[args.size() + 1] = address;
      Cli.Run run = Cli.run(full);
      assertThat(run.exit()).as("%s: %s", args, run).isEqualTo(4);
      assertThat(run.err()).isEqualTo("ringkv: cannot reach node " + address
          + " (connection refused)" + NL);
    }
  }

  @Test
  void aNodeThatDoesNotAnswerInTimeExitsThree() {
    node.hang("GET", "/buckets/b/keys/k");
    Cli.Run get = Cli.run("get", "b", "k", "--timeout", "200ms", "--http", "--node", node.address());
    assertThat(get.exit()).isEqualTo(3);
    assertThat(get.err()).isEqualTo("ringkv: node " + node.address()
        + " did not answer within 200 ms" + NL);
  }

  @Test
  void usageErrorsExitTwo() {
    Cli.Run noContext = Cli.run("delete", "b", "k", "--http", "--node", node.address());
    assertThat(noContext.exit()).isEqualTo(2);
    assertThat(noContext.err()).contains("Missing required option: '--context=C'");

    Cli.Run badNode = Cli.run("get", "b", "k", "--node", "localhost");
    assertThat(badNode.exit()).isEqualTo(2);
    assertThat(badNode.err()).contains("expected host:port, got 'localhost'");

    Cli.Run badPort = Cli.run("get", "b", "k", "--node", "localhost:99999");
    assertThat(badPort.exit()).isEqualTo(2);
    assertThat(badPort.err()).contains("port must be in 1..65535, got 99999");

    Cli.Run badTimeout = Cli.run("get", "b", "k", "--timeout", "soon");
    assertThat(badTimeout.exit()).isEqualTo(2);
    assertThat(badTimeout.err()).contains("expected a duration such as 500ms, 10s, 1m or 2h, got 'soon'");

    Cli.Run missingValue = Cli.run("put", "b", "k");
    assertThat(missingValue.exit()).isEqualTo(2);
    assertThat(missingValue.err()).contains("Missing required parameter: 'VALUE'");
    assertThat(node.requests()).isEmpty();
  }

  @Test
  void helpListsTheExitCodes() {
    Cli.Run help = Cli.run("get", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("Usage: ringkv get").contains("--node=HOST:PORT")
        .contains("(default 127.0.0.1:8087)").contains("--http").contains("Exit codes:")
        .contains("4  the node cannot be reached");
  }
}
