package io.ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code ringkv ring | members | join | leave} against a fake node. */
class ClusterCommandsTest {
  private static final String NL = System.lineSeparator();
  private static final String RING = "{\"version\": 3, \"partitions\": 8, "
      + "\"nodes\": {\"n2\": 3, \"n1\": 3, \"n3\": 2}, "
      + "\"owners\": [\"n1\", \"n1\", \"n2\", \"n3\", \"n1\", \"n2\", \"n2\", \"n3\"]}";
  private final FakeNode node = FakeNode.start();

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void ringIsATableOfOwnershipPerNode() {
    node.answer("GET", "/cluster/ring", 200, Map.of(), RING);
    Cli.Run ring = Cli.run("ring", "--http", "--node", node.address());
    assertThat(ring.exit()).as("%s", ring).isZero();
    assertThat(ring.out()).isEqualTo("ring version 3: 8 partitions over 3 nodes" + NL
        + "NODE  PARTITIONS  SHARE  RANGES" + NL
        + "n1             3  37.5%  0-1, 4" + NL
        + "n2             3  37.5%  2, 5-6" + NL
        + "n3             2  25.0%  3, 7" + NL);
  }

  @Test
  void ringJsonIsThePassthroughOfTheNodesAnswer() {
    node.answer("GET", "/cluster/ring", 200, Map.of(), RING + "\n");
    Cli.Run ring = Cli.run("ring", "--json", "--http", "--node", node.address());
    assertThat(ring.exit()).isZero();
    assertThat(ring.out()).isEqualTo(RING + NL);
  }

  @Test
  void aRingWithoutOwnershipIsAClearFailure() {
    node.answer("GET", "/cluster/ring", 200, Map.of(), "{\"version\": 1}");
    Cli.Run ring = Cli.run("ring", "--http", "--node", node.address());
    assertThat(ring.exit()).isEqualTo(1);
    assertThat(ring.err()).isEqualTo("ringkv: the node's /cluster/ring answer has neither"
        + " \"nodes\" nor \"owners\": {\"version\": 1}" + NL);
  }

  @Test
  void membersIsATableWithACount() {
    String members = "[{\"id\": \"n1\", \"address\": \"127.0.0.1:7000\", \"state\": \"up\"},"
        + " {\"id\": \"node-two\", \"address\": \"127.0.0.1:7001\", \"state\": \"down\","
        + " \"hints\": {\"count\": 150, \"bytes\": 24576, \"oldestAgeMs\": 42000}},"
        + " {\"id\": \"n3\", \"address\": \"127.0.0.1:7002\", \"state\": \"up\","
        + " \"hints\": {\"count\": 0, \"bytes\": 0, \"oldestAgeMs\": 0}}]";
    node.answer("GET", "/cluster/members", 200, Map.of(), members);
    Cli.Run run = Cli.run("members", "--node", node.address());
    assertThat(run.exit()).as("%s", run).isZero();
    assertThat(run.out()).isEqualTo(
        "ID        ADDRESS         STATE  HINTS                        ANTI-ENTROPY" + NL
        + "n1        127.0.0.1:7000  up     -                            -" + NL
        + "node-two  127.0.0.1:7001  down   150 (24.0 KiB, oldest 42 s)  -" + NL
        + "n3        127.0.0.1:7002  up     -                            -" + NL
        + "3 members: 2 up, 1 down; 150 hints (24.0 KiB) held here for others" + NL);

    Cli.Run json = Cli.run("members", "--json", "--node", node.address());
    assertThat(json.out()).isEqualTo(members + NL);
  }

  @Test
  void membersAlsoReadsAnObjectWithAMembersList() {
    node.answer("GET", "/cluster/members", 200, Map.of(),
        "{\"members\": [{\"id\": \"n1\", \"address\": \"h:1\", \"up\": false}]}");
    Cli.Run run = Cli.run("members", "--node", node.address());
    assertThat(run.out()).isEqualTo("ID  ADDRESS  STATE  HINTS  ANTI-ENTROPY" + NL
        + "n1  h:1      down   -      -" + NL + "1 member: 0 up, 1 down" + NL);
  }

  @Test
  void membersShowsTheLastAntiEntropyExchangesWithEachMember() {
    long recent = System.currentTimeMillis() - 3_000;
    node.answer("GET", "/cluster/members", 200, Map.of(), "{\"members\": [{\"id\": \"n2\","
        + " \"address\": \"h:2\", \"state\": \"up\", \"antiEntropy\": {\"partitions\": 64,"
        + " \"failed\": 2, \"keysRepaired\": 120, \"lastExchangeMs\": " + recent + "}}]}");
    Cli.Run run = Cli.run("members", "--node", node.address());
    assertThat(run.out()).containsPattern("n2 +h:2 +up +- +64 partitions, 2 failed, 120 repaired, "
        + "\\d+ s ago");
  }

  @Test
  void repairPostsThePartitionAndWaitsWhenAsked() {
    node.answer("POST", "/cluster/repair", 200, Map.of(), "{\"status\": \"anti-entropy round on"
        + " n1 for partition 5: 2 exchanges (0 failed), 3 keys repaired, 0 tombstones reaped\"}");
    Cli.Run run = Cli.run("repair", "--partition", "5", "--wait", "--node", node.address());
    assertThat(run.exit()).as("%s", run).isZero();
    assertThat(run.out()).contains("3 keys repaired");
    FakeNode.Request sent = node.requests("/cluster/").get(0);
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.query()).isEqualTo("partition=5&wait=true");

    Cli.Run bad = Cli.run("repair", "--partition", "-1", "--node", node.address());
    assertThat(bad.exit()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void joinPostsTheSeed() {
    node.answer("POST", "/cluster/join", 202, Map.of(), "");
    Cli.Run join = Cli.run("join", "--seed", "10.0.0.5:7000", "--node", node.address());
    assertThat(join.exit()).as("%s", join).isZero();
    assertThat(join.out()).isEqualTo("join requested: node " + node.address()
        + ", seed 10.0.0.5:7000" + NL);
    FakeNode.Request sent = node.requests("/cluster/").get(0);
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.query()).isEqualTo("seed=10.0.0.5%3A7000");

    Cli.Run json = Cli.run("join", "--seed", "10.0.0.5:7000", "--json", "--node", node.address());
    assertThat(json.out()).isEqualTo("{\"status\": 202}" + NL);
  }

  @Test
  void leavePostsAndShowsTheNodesAnswer() {
    node.answer("POST", "/cluster/leave", 200, Map.of(), "{\"leaving\": true, \"partitions\": 21}");
    Cli.Run leave = Cli.run("leave", "--node", node.address());
    assertThat(leave.exit()).as("%s", leave).isZero();
    assertThat(leave.out()).isEqualTo("leave requested: node " + node.address() + NL
        + "{\"leaving\": true, \"partitions\": 21}" + NL);
    Cli.Run json = Cli.run("leave", "--json", "--node", node.address());
    assertThat(json.out()).isEqualTo("{\"leaving\": true, \"partitions\": 21}" + NL);
    assertThat(node.requests("/cluster/leave")).extracting(FakeNode.Request::method)
        .isEqualTo(List.of("POST", "POST"));
  }

  @Test
  void anAdminRouteTheNodeLacksIsItsMessage() {
    Cli.Run join = Cli.run("join", "--seed", "h:7000", "--node", node.address());
    assertThat(join.exit()).isEqualTo(1);
    assertThat(join.err()).isEqualTo("ringkv: no route /cluster/join (HTTP 404)" + NL);
    Cli.Run noSeed = Cli.run("join", "--node", node.address());
    assertThat(noSeed.exit()).isEqualTo(2);
    assertThat(noSeed.err()).contains("Missing required option: '--seed=HOST:PORT'");
  }

  private static final String PLAN = "{\"change\": \"n4 joins\", \"moves\": [{\"partition\": 3,"
      + " \"n\": 3, \"from\": [\"n1\", \"n2\", \"n3\"], \"to\": \"n4\", \"keys\": 120,"
      + " \"bytes\": 12288}, {\"partition\": 9, \"n\": 3, \"from\": [\"n2\", \"n3\", \"n1\"],"
      + " \"to\": \"n4\", \"keys\": 80, \"bytes\": 8192}], \"partitions\": 2, \"keys\": 200,"
      + " \"bytes\": 20480, \"estimatedMs\": 100, \"rate\": {\"keysPerSecond\": 2000,"
      + " \"bytesPerSecond\": 8388608}, \"unknown\": []}";

  @Test
  void joinPlanPrintsWhatWouldMoveAndMovesNothing() {
    node.answer("POST", "/cluster/join", 200, Map.of(), PLAN);
    Cli.Run run = Cli.run("join", "--plan", "--seed", "10.0.0.5:7000", "--node", node.address());
    assertThat(run.exit()).as("%s", run).isZero();
    assertThat(run.out()).startsWith("plan: n4 joins (nothing moves until you run it without"
        + " --plan)" + NL + "PARTITION  N  FROM      TO  KEYS  BYTES" + NL
        + "3          3  n1,n2,n3  n4  120   12.0 KiB" + NL)
        .contains("2 partitions move: 200 keys, 20.0 KiB; at 2000 keys/s and 8.0 MiB/s");
    assertThat(node.requests("/cluster/").get(0).query())
        .isEqualTo("seed=10.0.0.5%3A7000&plan=true");
    Cli.Run json = Cli.run("join", "--plan", "--json", "--seed", "10.0.0.5:7000", "--node",
        node.address());
    assertThat(json.out()).isEqualTo(PLAN + NL);
  }

  @Test
  void leavePlanAndRemoveAskTheNode() {
    node.answer("POST", "/cluster/leave", 200, Map.of(), PLAN.replace("n4 joins", "n2 leaves"));
    Cli.Run plan = Cli.run("leave", "--plan", "--node", node.address());
    assertThat(plan.out()).startsWith("plan: n2 leaves");
    assertThat(node.requests("/cluster/leave").get(0).query()).isEqualTo("plan=true");

    node.answer("POST", "/cluster/remove", 200, Map.of(), "{\"status\": \"n3 removed\"}");
    Cli.Run remove = Cli.run("remove", "n3", "--node", node.address());
    assertThat(remove.exit()).as("%s", remove).isZero();
    assertThat(remove.out()).contains("remove requested: node n3").contains("n3 removed");
    assertThat(node.requests("/cluster/remove").get(0).query()).isEqualTo("node=n3");

    node.answer("POST", "/cluster/remove", 400, Map.of(), "{\"error\": \"node n3 is up\"}");
    Cli.Run refused = Cli.run("remove", "n3", "--node", node.address());
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err()).contains("node n3 is up");
  }

  @Test
  void membersShowsTheRingChangeInProgress() {
    node.answer("GET", "/cluster/members", 200, Map.of(), "{\"members\": [{\"id\": \"n4\","
        + " \"address\": \"h:4\", \"state\": \"up\", \"status\": \"joining\","
        + " \"ready\": false}], \"ring\": {\"version\": 5, \"pendingVersion\": 6, \"handoff\":"
        + " {\"partitions\": 49, \"done\": 12, \"keys\": 480, \"bytes\": 49152,"
        + " \"keysPerSecond\": 800, \"etaMs\": 3000, \"waitingFor\": \"\"}}}");
    Cli.Run run = Cli.run("members", "--node", node.address());
    assertThat(run.out()).contains("n4  h:4      up, joining")
        .contains("ring change in progress: version 5 -> 6; this node holds 12/49 partitions it"
            + " gains, 480 keys (48.0 KiB), 800 keys/s, ETA 3 s");
  }
}
