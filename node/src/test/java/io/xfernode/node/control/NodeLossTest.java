package io.xfernode.node.control;

import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import io.xfernode.node.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.xfernode.node.TestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

/** SPEC 5: when a node leaves, every transfer that touches it ends FAILED with 503 within 10 s. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(90)
class NodeLossTest {

  private TestCluster cluster;

  @BeforeAll
  void startCluster() throws Exception {
    cluster = TestCluster.start("loss", 2);
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
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
      .put("sink", new JsonObject().put("type", "null").put("node", "n1"))));
    running.get(30, TimeUnit.SECONDS);

    long crash = System.nanoTime();
    // a crash, not a goodbye: Hazelcast stops without telling anyone
    cluster.node(1).clusterManager().getHazelcastInstance().getLifecycleService().terminate();
    JsonObject last = ended.get(30, TimeUnit.SECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - crash);

    assertThat(last.getString("state")).isEqualTo("FAILED");
    assertThat(took).as("time from the crash to the final state").isLessThan(Duration.ofSeconds(10));
    JsonObject status = (JsonObject) await(bus.request(Addresses.STATUS, new JsonObject().put("id", id))).body();
    assertThat(status.getJsonObject("error").getInteger("code")).isEqualTo(503);
    assertThat(status.getJsonObject("error").getString("message")).isEqualTo("node n1 left the cluster");
  }
}
