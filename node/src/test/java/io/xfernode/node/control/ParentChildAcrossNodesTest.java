package io.xfernode.node.control;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import io.xfernode.node.BridgeClient;
import io.xfernode.node.TestCluster;
import io.xfernode.transport.ChildSocket;
import io.xfernode.transport.ParentSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.xfernode.node.TestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

/** SPEC 1.3: a listener and its connections signal each other over the clustered event bus, across nodes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class ParentChildAcrossNodesTest {

  private TestCluster cluster;

  @BeforeAll
  void startCluster() throws Exception {
    cluster = TestCluster.start("sockets", 2);
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void a_childs_close_is_seen_by_its_parent_on_the_other_node() throws Exception {
    ParentSocket parent = await(cluster.node(0).engine().sockets().listen("tcp 127.0.0.1:1", "test"));
    CompletableFuture<JsonObject> closed = new CompletableFuture<>();
    parent.childClosedHandler(closed::complete);
    CompletableFuture<String> shutdown = new CompletableFuture<>();
    ChildSocket child = ChildSocket.open(cluster.node(1).vertx(), parent.address(), "n1", "tcp a -> b",
      ChildSocket.endOnly(shutdown::complete));
    awaitChildren(parent, 1);

    child.closed();
    JsonObject gone = closed.get(10, TimeUnit.SECONDS);
    assertThat(gone.getString("node")).isEqualTo("n1");
    assertThat(gone.getString("description")).isEqualTo("tcp a -> b");
    assertThat(parent.childCount()).isZero();
    assertThat(shutdown).as("a child that closed itself is not told to shut down").isNotDone();
    await(parent.close("test over", true));
  }

  @Test
  void closing_a_parent_shuts_down_its_child_on_the_other_node() throws Exception {
    ParentSocket parent = await(cluster.node(0).engine().sockets().listen("tcp 127.0.0.1:2", "test"));
    CompletableFuture<String> shutdown = new CompletableFuture<>();
    ChildSocket[] child = new ChildSocket[1];
    child[0] = ChildSocket.open(cluster.node(1).vertx(), parent.address(), "n1", "tcp c -> d",
      ChildSocket.endOnly(reason -> {
        shutdown.complete(reason);
        child[0].closed();
      }));
    awaitChildren(parent, 1);

    await(parent.close("listener closing", true));
    assertThat(shutdown.get(10, TimeUnit.SECONDS)).isEqualTo("listener closing");
    assertThat(parent.childCount()).as("the parent saw its child close before it finished closing").isZero();
  }

  @Test
  void a_transfer_across_nodes_shows_its_listener_and_the_child_from_the_other_node() throws Exception {
    String id = "hop-listeners";
    try (BridgeClient client = new BridgeClient(cluster.node(0).bridgePort())) {
      JsonObject reply = client.request(Addresses.SUBMIT, new JsonObject().put("id", id)
        // runs until it is cancelled below, however long finding its listener takes
        .put("source", new JsonObject().put("type", "random").put("length", 1L << 40).put("node", "n0"))
        .put("sink", new JsonObject().put("type", "null").put("node", "n1"))
        .put("options", new JsonObject().put("rateLimit", 4L << 20).put("hop", "direct")));
      assertThat(reply.getString("type")).as("%s", reply).isEqualTo("message");

      JsonObject listener = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (listener == null && System.nanoTime() < deadline) {
        JsonArray all = client.request(Addresses.LISTENERS, new JsonObject()).getJsonObject("body")
          .getJsonArray("listeners");
        for (Object o : all) {
          JsonObject l = (JsonObject) o;
          if (l.getString("owner").contains(id) && !l.getJsonArray("children").isEmpty()) {
            listener = l;
          }
        }
      }
      assertThat(listener).as("a listener of the hop with a child").isNotNull();
      JsonObject child = listener.getJsonArray("children").getJsonObject(0);
      assertThat(List.of(listener.getString("node"), child.getString("node"))).containsExactlyInAnyOrder("n0", "n1");

      JsonObject cancelled = client.request(Addresses.CANCEL, new JsonObject().put("id", id)).getJsonObject("body");
      assertThat(cancelled.getString("state")).isEqualTo("CANCELLED");
    }
  }

  @Test
  void the_data_port_is_the_parent_of_the_pool_connections_it_accepts() throws Exception {
    // a pool whose connections close soon after their last transfer
    await(cluster.node(0).vertx().eventBus().request(Addresses.POOLS, new JsonObject().put("op", "define")
      .put("pool", new JsonObject().put("name", "brief").put("minPerPeer", 0).put("idleTimeout", "PT0.5S"))));
    // the other nodes apply a definition when its change reaches them over the event bus
    long applied = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!cluster.node(1).pools().has("brief")) {
      assertThat(System.nanoTime()).as("n1 applies the pool's definition").isLessThan(applied);
      Thread.onSpinWait();
    }
    ParentSocket dataPort = cluster.node(1).engine().sockets().listeners().stream()
      .filter(p -> p.toJson().getString("owner").equals("data port")).findFirst().orElseThrow();
    CompletableFuture<JsonObject> childClosed = new CompletableFuture<>();
    dataPort.childClosedHandler(c -> {
      if (c.getString("description").contains("pool brief")) {
        childClosed.complete(c);
      }
    });

    JsonObject status = cluster.run(0, new JsonObject().put("id", "brief-1")
      .put("source", new JsonObject().put("type", "pattern").put("length", 1 << 20).put("node", "n0"))
      .put("sink", new JsonObject().put("type", "null").put("node", "n1"))
      .put("options", new JsonObject().put("pool", "brief")));
    assertThat(status.getString("state")).as("%s", status.getJsonObject("error")).isEqualTo("DONE");

    // the connection n1 accepted reported itself to the data port, and its close arrives as a message
    JsonObject gone = childClosed.get(20, TimeUnit.SECONDS);
    assertThat(gone.getString("node")).isEqualTo("n1");
    assertThat(gone.getString("description")).contains("<-").contains("(n0)");
  }

  private static void awaitChildren(ParentSocket parent, int n) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (parent.childCount() < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the child never announced itself");
      }
      Thread.onSpinWait();
    }
  }
}
