package io.xfernode.node.control;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import io.xfernode.node.TestCluster;
import io.xfernode.source.RandomBytes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.xfernode.node.TestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Transfers between two nodes over a pool ({@code options.hop: "pool"}): byte for byte over several
 * streams, two at once on one shared connection, cancelled without taking the connection down, and
 * refused with 404 for an unknown pool. The transfer's token appears in no plan or status.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(90)
class PoolTransferTest {

  private TestCluster cluster;

  @BeforeAll
  void start() throws Exception {
    cluster = TestCluster.start("pool-transfers", 2, flags -> flags.getInteger("index") == 0
      ? flags.put("pools", new JsonArray()
        .add(new JsonObject().put("name", "default").put("maxPerPeer", 4).put("window", 1 << 20))
        .add(new JsonObject().put("name", "single").put("minPerPeer", 1).put("maxPerPeer", 1)))
      : flags);
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Submits on n0 and waits for the final state; returns the status. */
  private JsonObject run(JsonObject spec) throws Exception {
    CompletableFuture<Void> ended = new CompletableFuture<>();
    var events = cluster.node(0).vertx().eventBus().<JsonObject>consumer(Addresses.events(spec.getString("id")), m -> {
      if ("state".equals(m.body().getString("type"))
        && List.of("DONE", "FAILED", "CANCELLED").contains(m.body().getString("state"))) {
        ended.complete(null);
      }
    });
    await(events.completion());
    try {
      await(cluster.node(0).vertx().eventBus().request(Addresses.SUBMIT, spec));
      ended.get(60, TimeUnit.SECONDS);
    } finally {
      await(events.unregister());
    }
    return status(spec.getString("id"));
  }

  private JsonObject status(String id) throws Exception {
    return (JsonObject) await(cluster.node(1).vertx().eventBus().request(Addresses.STATUS,
      new JsonObject().put("id", id))).body();
  }

  private JsonObject connections(String pool) throws Exception {
    JsonObject list = (JsonObject) await(cluster.node(0).vertx().eventBus().request(Addresses.POOLS,
      new JsonObject().put("op", "list"))).body();
    return list.getJsonArray("pools").stream().map(o -> (JsonObject) o).filter(p -> p.getString("name").equals(pool))
      .findFirst().orElseThrow().getJsonObject("connections");
  }

  @Test
  void a_file_crosses_over_a_pool_in_three_streams_byte_for_byte() throws Exception {
    byte[] data = RandomBytes.bytes(21, 5 * 1024 * 1024 + 11);
    Files.write(cluster.root(0).resolve("pool-in.bin"), data);
    String id = "pool-" + UUID.randomUUID();
    JsonObject status = run(new JsonObject().put("id", id)
      .put("source", "file://n0/data/pool-in.bin")
      .put("sink", "file://n1/data/pool-out.bin")
      .put("options", new JsonObject().put("hop", "pool").put("streams", 3).put("checksum", "sha256")));

    assertThat(status.getString("state")).as("%s", status.getJsonObject("error")).isEqualTo("DONE");
    assertThat(Files.readAllBytes(cluster.root(1).resolve("pool-out.bin"))).isEqualTo(data);
    assertThat(status.getJsonObject("checksum").getString("value")).isEqualTo(TransferApiTest.sha256(data));
    List<JsonObject> glues = status.getJsonObject("plan").getJsonArray("elements").stream().map(o -> (JsonObject) o)
      .filter(e -> e.getString("type").contains("pool")).toList();
    // the file goes as regions (sendfile) and lands by offset: no copy on the way out, one on the way in
    assertThat(glues).extracting(e -> e.getString("type") + "@" + e.getString("node"))
      .containsExactly("channel-to-pool@n0", "pool-to-channel@n1");
    assertThat(glues.get(0).getJsonObject("options")).isEqualTo(new JsonObject().put("pool", "default").put("streams", 3)
      .put("checksum", "sha256"));
    assertThat(status.getJsonObject("checksum").getString("verified")).as("the receiver read the file back")
      .isEqualTo("disk");
    assertThat(status.encode()).as("the token stays between the controller and the agents").doesNotContain("token");
  }

  @Test
  void across_either_hop_a_tcp_sink_is_done_only_once_a_slow_reader_has_every_byte() throws Exception {
    byte[] data = RandomBytes.bytes(23, 8 * 1024 * 1024 + 5);
    Files.write(cluster.root(0).resolve("slow-in.bin"), data);
    for (String hop : List.of("pool", "direct")) {
      io.xfernode.test.SlowReader reader = io.xfernode.test.SlowReader.listen();
      JsonObject status = run(new JsonObject().put("id", "slow-" + hop + "-" + UUID.randomUUID())
        .put("source", "file://n0/data/slow-in.bin")
        .put("sink", new JsonObject().put("type", "tcp").put("node", "n1").put("mode", "connect")
          .put("host", "127.0.0.1").put("port", reader.port()))
        .put("options", new JsonObject().put("hop", hop)));
      assertThat(status.getString("state")).as("%s: %s", hop, status.getJsonObject("error")).isEqualTo("DONE");
      byte[] got = reader.got().get(30, TimeUnit.SECONDS);
      assertThat(got.length).as("%s: bytes the slow reader got before a clean end", hop).isEqualTo(data.length);
      assertThat(TransferApiTest.sha256(got)).as(hop).isEqualTo(TransferApiTest.sha256(data));
    }
  }

  @Test
  void a_filter_after_the_hop_is_checked_where_the_bytes_land_not_against_the_hop() throws Exception {
    byte[] data = RandomBytes.bytes(29, 3 * 1024 * 1024 + 7);
    Files.write(cluster.root(0).resolve("gz-in.bin"), data);
    for (String hop : List.of("pool", "direct")) {
      String out = "gz-out-" + hop + ".gz";
      JsonObject status = run(new JsonObject().put("id", "gz-" + hop + "-" + UUID.randomUUID())
        .put("source", "file://n0/data/gz-in.bin")
        .put("filters", new JsonArray().add(new JsonObject().put("type", "gzip").put("node", "n1")))
        .put("sink", "file://n1/data/" + out)
        .put("options", new JsonObject().put("hop", hop).put("checksum", "sha256")));
      assertThat(status.getString("state")).as("%s: %s", hop, status.getJsonObject("error")).isEqualTo("DONE");
      byte[] gz = Files.readAllBytes(cluster.root(1).resolve(out));
      // the checksum is of what the sink received: the gzip filter's output
      assertThat(status.getJsonObject("checksum").getString("value")).as(hop).isEqualTo(TransferApiTest.sha256(gz));
      try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
        assertThat(in.readAllBytes()).as(hop).isEqualTo(data);
      }
    }
  }

  @Test
  void two_transfers_share_the_pools_one_connection() throws Exception {
    String a = "share-a-" + UUID.randomUUID();
    String b = "share-b-" + UUID.randomUUID();
    int length = 3 * 1024 * 1024 + 1;
    CompletableFuture<JsonObject> first = CompletableFuture.supplyAsync(() -> {
      try {
        return run(spec(a, 5, length));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    JsonObject second = run(spec(b, 6, length));
    JsonObject one = first.get(60, TimeUnit.SECONDS);
    assertThat(one.getString("state")).as("first: %s", one.getJsonObject("error")).isEqualTo("DONE");
    assertThat(second.getString("state")).as("second: %s", second.getJsonObject("error")).isEqualTo("DONE");
    assertThat(one.getJsonObject("checksum").getString("value"))
      .isEqualTo(TransferApiTest.sha256(RandomBytes.bytes(5, length)));
    assertThat(second.getJsonObject("checksum").getString("value"))
      .isEqualTo(TransferApiTest.sha256(RandomBytes.bytes(6, length)));
    assertThat(connections("single").getJsonObject("n0").getJsonObject("n1").getInteger("connections")).isEqualTo(1);
  }

  private static JsonObject spec(String id, int seed, int length) {
    return new JsonObject().put("id", id)
      .put("source", new JsonObject().put("type", "random").put("seed", seed).put("length", length))
      .put("sink", new JsonObject().put("type", "digest").put("node", "n1").put("algorithm", "sha256"))
      .put("options", new JsonObject().put("hop", "pool").put("pool", "single").put("streams", 2));
  }

  @Test
  void a_cancelled_transfer_leaves_the_pool_connection_up_for_the_next() throws Exception {
    String id = "pool-cancel-" + UUID.randomUUID();
    CompletableFuture<Void> running = new CompletableFuture<>();
    var events = cluster.node(0).vertx().eventBus().<JsonObject>consumer(Addresses.events(id), m -> {
      if ("progress".equals(m.body().getString("type"))) {
        running.complete(null);
      }
    });
    await(events.completion());
    await(cluster.node(0).vertx().eventBus().request(Addresses.SUBMIT, new JsonObject().put("id", id)
      .put("source", new JsonObject().put("type", "random").put("length", 1L << 40))
      .put("sink", new JsonObject().put("type", "null").put("node", "n1"))
      .put("options", new JsonObject().put("hop", "pool").put("pool", "single"))));
    running.get(30, TimeUnit.SECONDS);
    await(events.unregister());

    long start = System.nanoTime();
    JsonObject cancelled = (JsonObject) await(cluster.node(1).vertx().eventBus().request(Addresses.CANCEL,
      new JsonObject().put("id", id))).body();
    assertThat(cancelled.getString("state")).isEqualTo("CANCELLED");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));

    assertThat(connections("single").getJsonObject("n0").getJsonObject("n1").getInteger("connections")).isEqualTo(1);
    JsonObject next = run(spec("after-cancel-" + UUID.randomUUID(), 8, 1_000_000));
    assertThat(next.getJsonObject("checksum").getString("value"))
      .isEqualTo(TransferApiTest.sha256(RandomBytes.bytes(8, 1_000_000)));
  }

  @Test
  void an_unknown_pool_is_refused_with_404() {
    assertThatThrownBy(() -> await(cluster.node(0).vertx().eventBus().request(Addresses.SUBMIT, new JsonObject()
      .put("source", "random:?length=10").put("sink", new JsonObject().put("type", "null").put("node", "n1"))
      .put("options", new JsonObject().put("hop", "pool").put("pool", "nope")))))
      .isInstanceOfSatisfying(ReplyException.class, e -> {
        assertThat(e.failureCode()).isEqualTo(404);
        assertThat(e.getMessage()).isEqualTo("options.pool: no pool \"nope\" (defined: default, single)");
      });
  }
}
