package io.xfernode.node.control;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import io.xfernode.node.BridgeClient;
import io.xfernode.node.TestCluster;
import io.xfernode.source.RandomBytes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;

import static io.xfernode.node.TestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The transfer API of a two-node cluster, from Java on the event bus and from a raw bridge client. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class TransferApiTest {

  private TestCluster cluster;

  @BeforeAll
  void startCluster() throws Exception {
    cluster = TestCluster.start("transfers", 2);
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  /** Sends a request through n0's bridge, waits for the final event of the transfer, returns its status. */
  private JsonObject runThroughBridge(JsonObject spec) throws Exception {
    String id = spec.getString("id");
    try (BridgeClient client = new BridgeClient(cluster.node(0).bridgePort())) {
      client.register(Addresses.events(id));
      // the register is not acknowledged: a ping's pong proves the bridge handled it
      client.send(new JsonObject().put("type", "ping"));
      assertThat(client.read().getString("type")).isEqualTo("pong");
      JsonObject reply = client.request(Addresses.SUBMIT, spec);
      assertThat(reply.getString("type")).as("submit reply %s", reply).isEqualTo("message");
      assertThat(reply.getJsonObject("body").getString("id")).isEqualTo(id);
      while (true) {
        JsonObject frame = client.read();
        JsonObject event = frame.getJsonObject("body");
        if (event != null && "state".equals(event.getString("type"))
          && java.util.List.of("DONE", "FAILED", "CANCELLED").contains(event.getString("state"))) {
          break;
        }
      }
      JsonObject status = client.request(Addresses.STATUS, new JsonObject().put("id", id));
      return status.getJsonObject("body");
    }
  }

  @Test
  void a_bridge_client_submits_follows_and_reads_a_transfer() throws Exception {
    String id = "bridge-" + UUID.randomUUID();
    int length = 1024 * 1024 + 333;
    JsonObject status = runThroughBridge(new JsonObject().put("id", id)
      .put("source", "random:?seed=9&length=" + length)
      .put("sink", new JsonObject().put("type", "digest").put("algorithm", "sha256")));
    assertThat(status.getString("state")).isEqualTo("DONE");
    assertThat(status.getJsonObject("checksum").getString("value")).isEqualTo(sha256(RandomBytes.bytes(9, length)));
    // any node answers for any transfer
    JsonObject fromN1 = (JsonObject) await(cluster.node(1).vertx().eventBus()
      .request(Addresses.STATUS, new JsonObject().put("id", id))).body();
    assertThat(fromN1.getString("state")).isEqualTo("DONE");
    JsonObject list = (JsonObject) await(cluster.node(1).vertx().eventBus()
      .request(Addresses.LIST, new JsonObject().put("state", "DONE"))).body();
    assertThat(list.getJsonArray("transfers").stream().map(s -> ((JsonObject) s).getString("id"))).contains(id);
  }

  /**
   * A node that does not control a transfer answers for it as its controller would, at once: RUNNING as soon
   * as the transfer runs (the store hears of it later), and ended as soon as the end is told (the final
   * status is stored after the events go out).
   */
  @Test
  void another_node_reads_a_transfer_as_its_controller_knows_it_running_and_ended() throws Exception {
    String id = "elsewhere-" + UUID.randomUUID();
    var n1 = cluster.node(1).vertx().eventBus();
    java.util.concurrent.BlockingQueue<JsonObject> states = new java.util.concurrent.LinkedBlockingQueue<>();
    var events = n1.<JsonObject>consumer(Addresses.events(id), m -> {
      if ("state".equals(m.body().getString("type"))) {
        states.add(m.body());
      }
    });
    await(events.completion());
    try {
      await(cluster.node(0).vertx().eventBus().request(Addresses.SUBMIT, new JsonObject().put("id", id)
        .put("source", "random:?length=1099511627776").put("sink", "null:")));
      JsonObject state;
      do {
        state = states.poll(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(state).as("a state event").isNotNull();
      } while (!"RUNNING".equals(state.getString("state")));
      JsonObject running = (JsonObject) await(n1.request(Addresses.STATUS, new JsonObject().put("id", id))).body();
      assertThat(running.getString("state")).as("n1's word right after RUNNING was told").isEqualTo("RUNNING");
      await(n1.request(Addresses.CANCEL, new JsonObject().put("id", id).put("reason", "seen")));
      do {
        state = states.poll(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(state).as("a state event").isNotNull();
      } while (!"CANCELLED".equals(state.getString("state")));
      JsonObject ended = (JsonObject) await(n1.request(Addresses.STATUS, new JsonObject().put("id", id))).body();
      assertThat(ended.getString("state")).as("n1's word right after CANCELLED was told").isEqualTo("CANCELLED");
      assertThat(ended.getLong("eventSeq")).as("the final status names the last event").isGreaterThan(state.getLong("seq"));
    } finally {
      events.unregister();
    }
  }

  @Test
  void a_transfer_runs_across_two_nodes_over_tcp_glue() throws Exception {
    String id = "across-" + UUID.randomUUID();
    int length = 3 * 1024 * 1024 + 7;
    JsonObject status = runThroughBridge(new JsonObject().put("id", id)
      .put("source", new JsonObject().put("type", "random").put("seed", 4).put("length", length).put("node", "n0"))
      .put("sink", new JsonObject().put("type", "digest").put("node", "n1"))
      .put("options", new JsonObject().put("checksum", "sha256")));
    assertThat(status.getString("state")).as("%s", status.getJsonObject("error")).isEqualTo("DONE");
    assertThat(status.getJsonObject("plan").getJsonArray("nodes").getList()).containsExactly("n0", "n1");
    assertThat(status.getJsonObject("checksum").getString("value")).isEqualTo(sha256(RandomBytes.bytes(4, length)));
    assertThat(status.getJsonArray("checksums").size()).as("checksums where the bytes left and landed").isEqualTo(3);
  }

  @Test
  void a_file_goes_from_node_a_to_node_b_over_a_direct_tcp_hop_byte_for_byte() throws Exception {
    byte[] data = RandomBytes.bytes(77, 4 * 1024 * 1024 + 3);
    java.nio.file.Files.write(cluster.root(0).resolve("hop-in.bin"), data);
    String id = "hop-" + UUID.randomUUID();
    JsonObject status = runThroughBridge(new JsonObject().put("id", id)
      .put("source", "file://n0/data/hop-in.bin")
      .put("sink", "file://n1/data/hop-out.bin")
      .put("options", new JsonObject().put("hop", "direct")));
    assertThat(status.getString("state")).as("%s", status.getJsonObject("error")).isEqualTo("DONE");
    assertThat(java.nio.file.Files.readAllBytes(cluster.root(1).resolve("hop-out.bin"))).isEqualTo(data);
    io.vertx.core.json.JsonArray elements = status.getJsonObject("plan").getJsonArray("elements");
    assertThat(elements.getJsonObject(1).getString("node")).isEqualTo("n0");
    assertThat(elements.getJsonObject(1).getString("in")).isEqualTo("CHANNEL");
    assertThat(elements.getJsonObject(2).getString("node")).isEqualTo("n1");
    assertThat(elements.getJsonObject(1).getString("out")).startsWith("TCP_").isEqualTo(elements.getJsonObject(2).getString("in"));
    assertThat(status.getJsonObject("plan").getJsonArray("links").getJsonObject(1).getBoolean("crossesNodes")).isTrue();
  }

  @Test
  void a_done_tree_transfer_across_nodes_counts_the_sum_of_its_file_sizes() throws Exception {
    String id = "tree-" + UUID.randomUUID();
    java.nio.file.Path src = java.nio.file.Files.createDirectories(cluster.root(0).resolve(id));
    int[] sizes = {0, 7, 4096, 1_000_003, 65_536};
    long sum = 0;
    for (int i = 0; i < sizes.length; i++) {
      java.nio.file.Path p = src.resolve("d" + (i % 2) + "/f" + i);
      java.nio.file.Files.createDirectories(p.getParent());
      java.nio.file.Files.write(p, RandomBytes.bytes(i, sizes[i]));
      sum += sizes[i];
    }
    JsonObject status = cluster.run(0, new JsonObject().put("id", id)
      .put("source", new JsonObject().put("type", "file").put("node", "n0").put("path", "data/" + id)
        .put("recursive", true))
      .put("sink", "file://n1/data/" + id + "-copy"));
    assertThat(status.getString("state")).as("%s", status.getJsonObject("error")).isEqualTo("DONE");
    assertThat(status.getLong("bytes")).as("bytes: the sum of the file sizes").isEqualTo(sum);
    assertThat(status.getLong("total")).as("total").isEqualTo(sum);
    for (int i = 0; i < sizes.length; i++) {
      String rel = "d" + (i % 2) + "/f" + i;
      assertThat(java.nio.file.Files.readAllBytes(cluster.root(1).resolve(id + "-copy").resolve(rel))).as(rel)
        .isEqualTo(RandomBytes.bytes(i, sizes[i]));
    }
  }

  @Test
  void a_bridge_client_uploads_through_an_eventbus_source_and_downloads_through_an_eventbus_sink() throws Exception {
    byte[] data = RandomBytes.bytes(31, 300_000);
    try (BridgeClient client = new BridgeClient(cluster.node(1).bridgePort())) {
      String up = "bus-up-" + UUID.randomUUID();
      JsonObject submitted = client.request(Addresses.SUBMIT, new JsonObject().put("id", up)
        .put("source", new JsonObject().put("type", "eventbus").put("node", "n0"))
        .put("sink", new JsonObject().put("type", "file").put("path", "data/" + up + ".bin").put("node", "n1")));
      String address = submitted.getJsonObject("body").getJsonObject("endpoints").getJsonObject("source")
        .getJsonObject("address").getString("address");
      assertThat(client.request(address, new JsonObject().put("op", "open")).getString("type")).isEqualTo("message");
      for (int off = 0, seq = 0; off < data.length; off += 65536, seq++) {
        byte[] part = java.util.Arrays.copyOfRange(data, off, Math.min(data.length, off + 65536));
        JsonObject ack = client.request(address, new JsonObject().put("op", "data").put("seq", seq)
          .put("data", java.util.Base64.getEncoder().encodeToString(part)));
        assertThat(ack.getJsonObject("body").getInteger("credits")).isEqualTo(1);
      }
      assertThat(client.request(address, new JsonObject().put("op", "end")).getJsonObject("body").getLong("bytes"))
        .isEqualTo(data.length);
      JsonObject status;
      do {
        status = client.request(Addresses.STATUS, new JsonObject().put("id", up)).getJsonObject("body");
      } while (!java.util.List.of("DONE", "FAILED", "CANCELLED").contains(status.getString("state")));
      assertThat(status.getString("state")).as("%s", status.getJsonObject("error")).isEqualTo("DONE");
      assertThat(java.nio.file.Files.readAllBytes(cluster.root(1).resolve(up + ".bin"))).isEqualTo(data);

      String mine = "xfer.client." + UUID.randomUUID();
      client.register(mine);
      client.send(new JsonObject().put("type", "ping"));
      assertThat(client.read().getString("type")).isEqualTo("pong");
      JsonObject down = client.request(Addresses.SUBMIT, new JsonObject()
        .put("source", new JsonObject().put("type", "file").put("path", "data/" + up + ".bin").put("node", "n1"))
        .put("sink", new JsonObject().put("type", "eventbus").put("address", mine).put("node", "n0")));
      String control = down.getJsonObject("body").getJsonObject("endpoints").getJsonObject("sink")
        .getJsonObject("address").getString("address");
      client.send(new JsonObject().put("type", "send").put("address", control)
        .put("body", new JsonObject().put("op", "credit").put("n", 1000)));
      java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
      while (true) {
        JsonObject frame = client.read();
        JsonObject body = frame.getJsonObject("body");
        if (body == null || !mine.equals(frame.getString("address"))) {
          continue;
        }
        if ("end".equals(body.getString("op"))) {
          break;
        }
        got.writeBytes(java.util.Base64.getDecoder().decode(body.getString("data")));
      }
      assertThat(got.toByteArray()).isEqualTo(data);
    }
  }

  @Test
  void failures_reach_a_bridge_client_with_the_spec_code_and_the_field() throws Exception {
    try (BridgeClient client = new BridgeClient(cluster.node(0).bridgePort())) {
      JsonObject unknownType = client.request(Addresses.SUBMIT, new JsonObject()
        .put("source", new JsonObject().put("type", "teleport")).put("sink", new JsonObject().put("type", "null")));
      assertThat(unknownType.getString("type")).isEqualTo("err");
      assertThat(unknownType.getInteger("failureCode")).isEqualTo(404);
      assertThat(unknownType.getString("message")).startsWith("source.type: unknown source type \"teleport\"");

      JsonObject badOption = client.request(Addresses.SUBMIT, new JsonObject()
        .put("source", "random:?length=10").put("sink", "null:").put("options", new JsonObject().put("speed", 1)));
      assertThat(badOption.getInteger("failureCode")).isEqualTo(400);
      assertThat(badOption.getString("message")).startsWith("options.speed: unknown key");

      JsonObject unknownNode = client.request(Addresses.PLAN, new JsonObject()
        .put("source", "random:?length=10").put("sink", new JsonObject().put("type", "null").put("node", "mars")));
      assertThat(unknownNode.getInteger("failureCode")).isEqualTo(404);
      assertThat(unknownNode.getString("message")).startsWith("sink.node: unknown node \"mars\"");

      JsonObject notJson = client.request(Addresses.SUBMIT, new JsonObject());
      assertThat(notJson.getInteger("failureCode")).isEqualTo(400);
      assertThat(notJson.getString("message")).isEqualTo("source: is required");
    }
  }

  @Test
  void a_malformed_json_request_is_refused_with_400() {
    assertThatThrownBy(() -> await(cluster.node(0).vertx().eventBus().request(Addresses.SUBMIT, "{\"source\": ")))
      .isInstanceOfSatisfying(ReplyException.class, e -> {
        assertThat(e.failureCode()).isEqualTo(400);
        assertThat(e.getMessage()).startsWith("request: malformed JSON: ").endsWith(" at line 1, column 12");
      });
    assertThatThrownBy(() -> await(cluster.node(0).vertx().eventBus().request(Addresses.STATUS, 42)))
      .isInstanceOfSatisfying(ReplyException.class, e -> {
        assertThat(e.failureCode()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo("request: must be a JSON object, got a number");
      });
    assertThatThrownBy(() -> await(cluster.node(0).vertx().eventBus().request(Addresses.STATUS, "\"t1\"")))
      .isInstanceOfSatisfying(ReplyException.class, e ->
        assertThat(e.getMessage()).isEqualTo("request: must be a JSON object, got a string"));
  }

  @Test
  void xfer_nodes_lists_the_element_types_of_each_node() throws Exception {
    JsonObject reply = (JsonObject) await(cluster.node(0).vertx().eventBus()
      .request(Addresses.NODES, new JsonObject())).body();
    JsonObject n1 = reply.getJsonArray("nodes").getJsonObject(1);
    assertThat(n1.getJsonArray("elementTypes").getList()).contains("source:random", "sink:digest", "filter:checksum");
  }
}
