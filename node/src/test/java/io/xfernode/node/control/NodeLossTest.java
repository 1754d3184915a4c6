package io.xfernode.node.control;

import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import io.xfernode.node.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.xfernode.node.TestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC 5: when a node leaves, every transfer that touches it ends FAILED with 503 within 10 s, the node
 * that controlled it included: a survivor adopts its transfers. A crash is Hazelcast stopping without a
 * word to anyone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(90)
class NodeLossTest {

  private TestCluster cluster;

  @BeforeAll
  void startCluster() throws Exception {
    cluster = TestCluster.start("loss", 3);
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void a_transfer_to_a_node_that_crashes_fails_with_503_within_10_seconds() throws Exception {
    String id = "loss-1";
    var bus = cluster.node(0).vertx().eventBus();
    CompletableFuture<Void> running = new CompletableFuture<>();
    CompletableFuture<JsonObject> ended = new CompletableFuture<>();
    var events = bus.<JsonObject>consumer(Addresses.events(id), m -> {
      if ("progress".equals(m.body().getString("type"))) {
        running.complete(null);
      }
      if ("state".equals(m.body().getString("type"))
        && List.of("DONE", "FAILED", "CANCELLED").contains(m.body().getString("state"))) {
        ended.complete(m.body());
      }
    });
    await(events.completion());
    await(bus.request(Addresses.SUBMIT, new JsonObject().put("id", id)
      .put("source", new JsonObject().put("type", "random").put("length", 1L << 40))
      .put("sink", new JsonObject().put("type", "null").put("node", "n2"))));
    running.get(30, TimeUnit.SECONDS);

    cluster.awaitSafe();
    long crash = System.nanoTime();
    // a crash, not a goodbye: Hazelcast stops without telling anyone
    cluster.node(2).clusterManager().getHazelcastInstance().getLifecycleService().terminate();
    JsonObject last = ended.get(30, TimeUnit.SECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - crash);

    assertThat(last.getString("state")).isEqualTo("FAILED");
    assertThat(took).as("time from the crash to the final state").isLessThan(Duration.ofSeconds(10));
    JsonObject status = (JsonObject) await(bus.request(Addresses.STATUS, new JsonObject().put("id", id))).body();
    // the node's loss, or the data connections' to it, whichever the transfer hears of first: 503 naming it
    assertThat(status.getJsonObject("error").getInteger("code")).isEqualTo(503);
    assertThat(status.getJsonObject("error").getString("message")).contains("n2");
  }

  @Test
  @Order(2)
  void a_transfer_whose_controller_crashes_is_adopted_and_fails_with_503_leaving_nothing() throws Exception {
    String id = "orphan-1";
    // controlled by n0, both elements on n1: only n1 can end it once n0 is gone
    var survivor = cluster.node(1).vertx().eventBus();
    CompletableFuture<Void> running = new CompletableFuture<>();
    CompletableFuture<JsonObject> ended = new CompletableFuture<>();
    List<JsonObject> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    var events = survivor.<JsonObject>consumer(Addresses.events(id), m -> {
      if ("progress".equals(m.body().getString("type"))) {
        running.complete(null);
      }
      if ("error".equals(m.body().getString("type"))) {
        errors.add(m.body());
      }
      if ("state".equals(m.body().getString("type"))
        && List.of("DONE", "FAILED", "CANCELLED").contains(m.body().getString("state"))) {
        ended.complete(m.body());
      }
    });
    await(events.completion());
    await(cluster.node(0).vertx().eventBus().request(Addresses.SUBMIT, new JsonObject().put("id", id)
      .put("source", new JsonObject().put("type", "random").put("length", 1L << 40).put("node", "n1"))
      .put("options", new JsonObject().put("rateLimit", 4 << 20))
      .put("sink", new JsonObject().put("type", "file").put("path", "data/orphan.bin").put("node", "n1"))));
    running.get(30, TimeUnit.SECONDS);

    cluster.awaitSafe();
    long crash = System.nanoTime();
    cluster.node(0).clusterManager().getHazelcastInstance().getLifecycleService().terminate();
    JsonObject last = ended.get(30, TimeUnit.SECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - crash);

    assertThat(last.getString("state")).isEqualTo("FAILED");
    assertThat(took).as("time from the controller's crash to the final event").isLessThan(Duration.ofSeconds(10));
    assertThat(errors).as("the error event").hasSize(1);
    assertThat(errors.get(0).getJsonObject("error").getInteger("code")).isEqualTo(503);
    JsonObject status = (JsonObject) await(survivor.request(Addresses.STATUS, new JsonObject().put("id", id))).body();
    assertThat(status.getString("state")).isEqualTo("FAILED");
    assertThat(status.getJsonObject("error").getString("message"))
      .isEqualTo("node n0, which controlled the transfer, left the cluster");
    assertThat(status.getString("adoptedBy")).as("exactly one survivor adopted it").isIn("n1", "n2");
    // cancel answers with the final status instead of 503
    JsonObject cancelled = (JsonObject) await(survivor.request(Addresses.CANCEL, new JsonObject().put("id", id))).body();
    assertThat(cancelled.getString("state")).isEqualTo("FAILED");
    // the survivor's elements were cancelled: nothing at the destination, no partial file
    assertThat(cluster.root(1).resolve("orphan.bin")).doesNotExist();
    try (var files = java.nio.file.Files.list(cluster.root(1))) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(id));
    }
    assertThat(cluster.node(1).engine().streamThreads().reserved()).as("threads reserved on the survivor").isZero();
  }
}
