package io.xfernode.node.it;

import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import io.xfernode.node.BridgeClient;
import io.xfernode.test.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fat-jar processes on loopback, as an operator runs them: they form a cluster, a crashed one is dropped,
 * a stopped one leaves, and bad flags stop a process with one line. Every port is found free by the test,
 * and only the processes started here are stopped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(120)
class TwoProcessClusterIT {

  @TempDir
  Path dir;

  private final List<NodeProcess> started = new ArrayList<>();
  private int[] memberPorts;
  private String clusterName;
  private int bridgeA;

  @BeforeAll
  void ports() {
    memberPorts = FreePorts.takeFixed(3);
    clusterName = "it-" + UUID.randomUUID();
  }

  @AfterAll
  void stopOurProcesses() {
    started.forEach(NodeProcess::close);
  }

  private Path hazelcastConfig(int member) throws Exception {
    return NodeProcess.hazelcastConfig(dir.resolve("hazelcast-" + member + ".xml"), clusterName, memberPorts, member);
  }

  private NodeProcess node(String id, int member, String... extra) throws Exception {
    Path root = Files.createDirectories(dir.resolve(id));
    List<String> args = new ArrayList<>(List.of("--cluster-config", hazelcastConfig(member).toString(),
      "--node-id", id, "--root", "data=" + root));
    for (String port : List.of("--bridge-port", "--http-port", "--data-port")) {
      if (!List.of(extra).contains(port)) {
        args.addAll(List.of(port, "0"));
      }
    }
    args.addAll(List.of(extra));
    NodeProcess p = NodeProcess.start(args.toArray(new String[0]));
    started.add(p);
    return p;
  }

  private static List<String> nodeIds(int bridgePort) throws Exception {
    try (BridgeClient client = new BridgeClient(bridgePort)) {
      JsonObject frame = client.request(Addresses.NODES, new JsonObject());
      return frame.getJsonObject("body").getJsonArray("nodes").stream()
        .map(n -> ((JsonObject) n).getString("id")).collect(Collectors.toList());
    }
  }

  /** Asks {@code xfer.nodes} until {@code condition} holds; returns how long that took. */
  private static Duration awaitNodes(int bridgePort, Predicate<List<String>> condition, Duration limit)
    throws Exception {
    long start = System.nanoTime();
    List<String> last;
    do {
      last = nodeIds(bridgePort);
      if (condition.test(last)) {
        return Duration.ofNanos(System.nanoTime() - start);
      }
      Thread.onSpinWait();
    } while (System.nanoTime() - start < limit.toNanos());
    throw new AssertionError("xfer.nodes still shows " + last + " after " + limit);
  }

  @Test
  @Order(1)
  void two_processes_form_one_cluster() throws Exception {
    NodeProcess a = node("pa", 0);
    bridgeA = a.awaitUp();
    NodeProcess b = node("pb", 1);
    int bridgeB = b.awaitUp();

    assertThat(nodeIds(bridgeA)).as("seen from pa").containsExactly("pa", "pb");
    assertThat(nodeIds(bridgeB)).as("seen from pb").containsExactly("pa", "pb");
    a_file_crosses_over_the_shipped_default_pool_with_no_options();

    b.process().toHandle().destroyForcibly(); // SIGKILL: no goodbye
    Duration dropped = awaitNodes(bridgeA, ids -> ids.equals(List.of("pa")), Duration.ofSeconds(10));
    assertThat(dropped).as("time for the survivor to drop a killed node").isLessThan(Duration.ofSeconds(10));
  }

  /** A new user's first cross-node transfer: no pool defined, no options; the shipped default pool carries it. */
  private void a_file_crosses_over_the_shipped_default_pool_with_no_options() throws Exception {
    byte[] data = io.xfernode.source.RandomBytes.bytes(31, 3 * 1024 * 1024 + 17);
    Files.write(dir.resolve("pa").resolve("first.bin"), data);
    String id = "first-" + UUID.randomUUID();
    try (BridgeClient client = new BridgeClient(bridgeA)) {
      client.register(Addresses.events(id));
      client.send(new JsonObject().put("type", "send").put("address", Addresses.SUBMIT).put("replyAddress", "r")
        .put("body", new JsonObject().put("id", id).put("source", "file://pa/data/first.bin")
          .put("sink", "file://pb/data/first.bin")));
      String state = null;
      while (state == null) { // the events of the transfer, until its final state (a refusal answers r)
        JsonObject frame = client.read();
        JsonObject body = frame.getJsonObject("body");
        if ("err".equals(frame.getString("type"))) {
          throw new AssertionError("refused: " + frame.encode());
        } else if (body != null && "state".equals(body.getString("type"))
          && List.of("DONE", "FAILED", "CANCELLED").contains(body.getString("state"))) {
          state = body.getString("state");
        }
      }
      JsonObject status = client.request(Addresses.STATUS, new JsonObject().put("id", id)).getJsonObject("body");
      assertThat(state).as("%s", status.getJsonObject("error")).isEqualTo("DONE");
      assertThat(status.getJsonObject("plan").getJsonArray("elements").stream().map(e -> (JsonObject) e)
        .filter(e -> "glue".equals(e.getString("kind")))
        .map(e -> e.getString("type") + "@" + e.getString("node") + ":" + e.getJsonObject("options").getString("pool")))
        .as("the hop, in the plan").containsExactly("channel-to-pool@pa:default", "pool-to-channel@pb:default");
    }
    assertThat(Files.readAllBytes(dir.resolve("pb").resolve("first.bin"))).isEqualTo(data);
  }

  @Test
  @Order(2)
  void sigterm_stops_a_node_gracefully_and_it_leaves_the_cluster() throws Exception {
    NodeProcess c = node("pc", 2);
    c.awaitUp();
    awaitNodes(bridgeA, ids -> ids.contains("pc"), Duration.ofSeconds(10));

    long start = System.nanoTime();
    c.process().toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output
    String output = c.awaitExit(Duration.ofSeconds(10));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("graceful stop").isLessThan(Duration.ofSeconds(10));
    assertThat(output).contains("node pc stopped");
    assertThat(nodeIds(bridgeA)).as("after pc stopped").containsExactly("pa");
  }

  @Test
  @Order(3)
  void a_configured_bridge_port_that_is_taken_stops_the_node_with_one_line() throws Exception {
    assertTakenPortStopsANode("pd", "--bridge-port", "bridge.port", bridgeA);
  }

  @Test
  @Order(4)
  void a_configured_data_port_that_is_taken_stops_the_node_with_one_line() throws Exception {
    int dataA;
    try (BridgeClient client = new BridgeClient(bridgeA)) {
      dataA = client.request(Addresses.NODES, new JsonObject()).getJsonObject("body").getJsonArray("nodes")
        .getJsonObject(0).getJsonObject("data").getInteger("port");
    }
    assertTakenPortStopsANode("pf", "--data-port", "data.port", dataA);
  }

  /** Starts node {@code id} with {@code flag} set to pa's {@code port}: it must stop with one line naming {@code key}. */
  private void assertTakenPortStopsANode(String id, String flag, String key, int port) throws Exception {
    NodeProcess p = node(id, 2, flag, String.valueOf(port));
    String output = p.awaitExit(Duration.ofSeconds(60));
    assertThat(p.process().exitValue()).isEqualTo(2);
    assertThat(output).contains("xfernode: config error: " + key + ": port " + port + " on 127.0.0.1 is already in use")
      .doesNotContain("\tat ");
  }

  @Test
  @Order(5)
  void a_bad_config_value_stops_the_process_with_one_line_and_code_2() throws Exception {
    Path conf = dir.resolve("bad.yaml");
    Files.writeString(conf, "limits:\n  maxTransfers: lots\n");
    NodeProcess e = NodeProcess.start("--conf", conf.toString());
    started.add(e);
    String output = e.awaitExit(Duration.ofSeconds(30));
    assertThat(e.process().exitValue()).isEqualTo(2);
    assertThat(output.trim()).isEqualTo("xfernode: config error: limits.maxTransfers: must be an integer from 1 "
      + "to 100000, got \"lots\"");
  }
}
