package io.xfernode.node.control;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import io.xfernode.node.BridgeClient;
import io.xfernode.node.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static io.xfernode.node.TestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code xfer.pools} in a two-node cluster: a pool from one node's config is the cluster's, pools defined
 * and removed at runtime reach every node, live connection counts are the cluster's, bad requests name
 * the field.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class PoolsApiTest {

  private TestCluster cluster;

  @BeforeAll
  void start() throws Exception {
    cluster = TestCluster.start("pools", 2, flags -> flags.getInteger("index") == 0
      ? flags.put("pools", new JsonArray().add(new JsonObject().put("name", "default").put("maxPerPeer", 2)))
      : flags);
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private JsonObject pools(int node, JsonObject request) throws Exception {
    return (JsonObject) await(cluster.node(node).vertx().eventBus().request(Addresses.POOLS, request)).body();
  }

  private static JsonObject named(JsonObject list, String name) {
    return list.getJsonArray("pools").stream().map(o -> (JsonObject) o)
      .filter(p -> p.getString("name").equals(name)).findFirst().orElse(null);
  }

  @Test
  void a_pool_from_one_nodes_config_is_the_clusters() throws Exception {
    JsonObject seenFromN1 = named(pools(1, new JsonObject().put("op", "list")), "default");
    assertThat(seenFromN1).isNotNull();
    assertThat(seenFromN1.getInteger("maxPerPeer")).isEqualTo(2);
    JsonObject nodes = (JsonObject) await(cluster.node(1).vertx().eventBus()
      .request(Addresses.NODES, new JsonObject())).body();
    assertThat(nodes.getJsonArray("nodes").stream().map(n -> ((JsonObject) n).getJsonArray("pools").getList()))
      .as("pools of each node").allSatisfy(p -> assertThat(p).contains("default"));
  }

  @Test
  void a_pool_defined_through_the_bridge_reaches_every_node_and_can_be_removed() throws Exception {
    try (BridgeClient client = new BridgeClient(cluster.node(1).bridgePort())) {
      JsonObject defined = client.request(Addresses.POOLS, new JsonObject().put("op", "define")
        .put("pool", new JsonObject().put("name", "bulk").put("maxPerPeer", 3).put("window", 1 << 20)));
      assertThat(defined.getString("type")).as("%s", defined).isEqualTo("message");
      assertThat(named(pools(0, new JsonObject().put("op", "list")), "bulk").getInteger("window")).isEqualTo(1 << 20);

      JsonObject removed = client.request(Addresses.POOLS, new JsonObject().put("op", "remove").put("name", "bulk"));
      assertThat(removed.getJsonObject("body").getString("removed")).isEqualTo("bulk");
      assertThat(named(pools(0, new JsonObject().put("op", "list")), "bulk")).isNull();

      JsonObject again = client.request(Addresses.POOLS, new JsonObject().put("op", "remove").put("name", "bulk"));
      assertThat(again.getInteger("failureCode")).isEqualTo(404);
      assertThat(again.getString("message")).isEqualTo("name: no pool \"bulk\"");
    }
  }

  @Test
  void bad_requests_name_the_field() {
    assertFails(new JsonObject(), 400, "op: is required: list, define or remove");
    assertFails(new JsonObject().put("op", "grow"), 400, "op: must be one of list, define, remove");
    assertFails(new JsonObject().put("op", "define"), 400, "pool: is required");
    assertFails(new JsonObject().put("op", "define").put("pool", new JsonObject().put("name", "x").put("window", 10)),
      400, "pool.window: must be an integer from 65536");
    assertFails(new JsonObject().put("op", "define").put("pool", new JsonObject().put("name", "x").put("minPerPeer", 5)
      .put("maxPerPeer", 2)), 400, "pool.maxPerPeer: must be at least minPerPeer (5), got 2");
    assertFails(new JsonObject().put("op", "list").put("extra", 1), 400, "extra: unknown key");
  }

  private void assertFails(JsonObject request, int code, String message) {
    assertThatThrownBy(() -> pools(0, request)).isInstanceOfSatisfying(ReplyException.class, e -> {
      assertThat(e.failureCode()).as("code for %s", request).isEqualTo(code);
      assertThat(e.getMessage()).as("message for %s", request).startsWith(message);
    });
  }

  @Test
  void a_connection_between_the_nodes_shows_in_the_live_counts() throws Exception {
    String id = "live-" + java.util.UUID.randomUUID();
    JsonObject status = cluster.run(0, new JsonObject().put("id", id)
      .put("source", new JsonObject().put("type", "random").put("seed", 9).put("length", 1_000_003))
      .put("sink", new JsonObject().put("type", "digest").put("node", "n1")));
    assertThat(status.getString("state")).as("%s", status.getJsonObject("error")).isEqualTo("DONE");
    assertThat(status.getJsonObject("checksum").getString("value"))
      .isEqualTo(TransferApiTest.sha256(io.xfernode.source.RandomBytes.bytes(9, 1_000_003)));

    // the connection stays open for the next transfer (minPerPeer 1), and both ends count it
    JsonObject live = named(pools(1, new JsonObject().put("op", "list")), "default").getJsonObject("connections");
    assertThat(live.getJsonObject("n0").getJsonObject("n1").getInteger("connections")).isEqualTo(1);
    assertThat(live.getJsonObject("n1").getJsonObject("n0").getInteger("connections")).isEqualTo(1);
    assertThat(live.getJsonObject("n1").getJsonObject("n0").getInteger("channels")).as("channels once done").isZero();
  }
}
