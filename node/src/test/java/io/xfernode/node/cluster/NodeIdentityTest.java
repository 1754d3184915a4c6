package io.xfernode.node.cluster;

import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import io.xfernode.node.TestCluster;
import io.xfernode.node.config.NodeConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import static io.xfernode.node.TestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Node ids when the config names none (issue 9, part 3). Four nodes of one host: n0 and n1 name no id and
 * have state directories of their own, so only the cluster can tell them apart; n2 names none and shares
 * n0's state directory; n3 names its id and shares it too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class NodeIdentityTest {

  private static final String HOST = NodeConfig.defaultNodeId();

  private TestCluster cluster;

  @BeforeAll
  void startCluster() throws Exception {
    cluster = TestCluster.start("identity", 4, flags -> {
      int i = flags.getInteger("index");
      if (i >= 2) {
        Path own = Paths.get(flags.getJsonObject("state").getString("dir"));
        flags.put("state", new JsonObject().put("dir", own.getParent().getParent().resolve("n0").resolve("state")
          .toString()));
      }
      return flags.put("nodeId", i == 3 ? "fixed" : "");
    });
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void nodes_of_one_host_with_no_configured_id_get_the_host_name_and_then_distinct_suffixes() throws Exception {
    assertThat(ids()).as("ids of n0..n3").containsExactly(HOST, HOST + "-2", HOST + "-3", "fixed");
    JsonObject reply = (JsonObject) await(cluster.node(3).vertx().eventBus()
      .request(Addresses.NODES, new JsonObject())).body();
    assertThat(reply.getJsonArray("nodes").stream().map(n -> ((JsonObject) n).getString("id")).toList())
      .as("the cluster's directory").containsExactlyInAnyOrder(HOST, HOST + "-2", HOST + "-3", "fixed");
    assertThat(reply.getJsonArray("nodes").stream().map(n -> (JsonObject) n)
      .filter(n -> n.containsKey("owner") || n.containsKey("member")).toList())
      .as("entries show no internal fields").isEmpty();
  }

  @Test
  void a_restart_with_the_same_state_directory_keeps_the_id() throws Exception {
    String before1 = cluster.node(1).id();
    String before2 = cluster.node(2).id();
    cluster.stop(1);
    cluster.stop(2);
    // n2 comes back first: the id n1 had is free in the cluster now, but not n2's to take
    assertThat(cluster.restart(2).id()).as("n2, sharing n0's state directory, after a restart").isEqualTo(before2);
    assertThat(cluster.restart(1).id()).as("n1 after a restart").isEqualTo(before1);
    assertThat(Files.readAllLines(cluster.stateDir(0).resolve("node-ids"), StandardCharsets.UTF_8))
      .as("the ids kept in the directory n0, n2 and n3 share").containsExactly(HOST, HOST + "-3");
    assertThat(Files.readAllLines(cluster.stateDir(1).resolve("node-ids"), StandardCharsets.UTF_8))
      .as("the ids kept in n1's").containsExactly(HOST + "-2");
  }

  @Test
  void a_configured_id_wins_over_the_ones_kept_in_the_state_directory() throws Exception {
    assertThat(cluster.node(3).id()).isEqualTo("fixed");
    assertThat(Files.readAllLines(cluster.stateDir(0).resolve("node-ids"), StandardCharsets.UTF_8))
      .as("a configured id is not kept").doesNotContain("fixed");
  }

  private List<String> ids() {
    return cluster.nodes().stream().map(n -> n.id()).toList();
  }
}
