package io.xfernode.node.control;

import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import io.xfernode.node.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import static io.xfernode.node.TestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Elements that connect out obey the node's egress rules (SPEC 5): an {@code http} source aimed at the node's
 * own API, at a denied address, or at a server that redirects to one is refused with 403 naming the field,
 * and so are a {@code tcp} connect and a {@code udp} sink aimed at denied targets; what is allowed still runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class EgressNodeTest {

  private TestCluster cluster;
  private HttpServer server;
  private int serverPort;

  @BeforeAll
  void start() throws Exception {
    cluster = TestCluster.start("egress", 1, flags -> flags.put("egress", new JsonObject()
      .put("deny", new JsonArray().add("127.0.0.2").add("10.0.0.0/8"))));
    server = cluster.node(0).vertx().createHttpServer().requestHandler(req -> {
      if (req.path().equals("/to-denied")) {
        req.response().setStatusCode(302).putHeader("Location", "http://127.0.0.2:" + serverPort + "/x").end();
      } else {
        req.response().end("fine");
      }
    });
    serverPort = await(server.listen(0, "127.0.0.1")).actualPort();
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      await(server.close());
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private JsonObject submit(JsonObject source, JsonObject sink) throws Exception {
    return (JsonObject) await(cluster.node(0).vertx().eventBus().request(Addresses.SUBMIT,
      new JsonObject().put("source", source).put("sink", sink))).body();
  }

  /** Submits and waits for the final state; returns the final status. */
  private JsonObject run(JsonObject source, JsonObject sink) throws Exception {
    String id = "egress-" + java.util.UUID.randomUUID();
    java.util.concurrent.CompletableFuture<Void> ended = new java.util.concurrent.CompletableFuture<>();
    var events = cluster.node(0).vertx().eventBus().<JsonObject>consumer(Addresses.events(id), m -> {
      if ("state".equals(m.body().getString("type"))
        && java.util.List.of("DONE", "FAILED", "CANCELLED").contains(m.body().getString("state"))) {
        ended.complete(null);
      }
    });
    await(events.completion());
    try {
      await(cluster.node(0).vertx().eventBus().request(Addresses.SUBMIT,
        new JsonObject().put("id", id).put("source", source).put("sink", sink)));
      ended.get(30, java.util.concurrent.TimeUnit.SECONDS);
    } finally {
      await(events.unregister());
    }
    return (JsonObject) await(cluster.node(0).vertx().eventBus().request(Addresses.STATUS,
      new JsonObject().put("id", id))).body();
  }

  private void refused(JsonObject source, JsonObject sink, String message) {
    assertThatThrownBy(() -> submit(source, sink)).as("%s -> %s", source, sink)
      .satisfies(t -> assertThat(io.xfernode.api.XferException.from(t).code()).isEqualTo(403))
      .hasMessageContaining(message);
  }

  private static JsonObject http(String url) {
    return new JsonObject().put("type", "http").put("url", url);
  }

  @Test
  void the_nodes_own_api_a_denied_address_and_a_redirect_to_one_are_refused_naming_the_field() throws Exception {
    int api = cluster.node(0).httpPort();
    JsonObject sink = new JsonObject().put("type", "null");
    refused(http("http://127.0.0.1:" + api + "/api/nodes"), sink,
      "source.url: 127.0.0.1:" + api + " is a control, data or cluster port of this node");
    refused(http("http://localhost:" + cluster.node(0).bridgePort() + "/"), sink, "is a control, data or cluster port");
    refused(http("http://10.9.8.7/x"), sink, "source.url: 10.9.8.7:80 is denied by egress.deny");
    // the source's setup waits for the answer's head: a redirect to a denied target refuses the submit
    refused(http("http://127.0.0.1:" + serverPort + "/to-denied"), sink,
      "source.url: 127.0.0.2:" + serverPort + " is denied by egress.deny");
    // a tcp sink connects once the transfer runs: it fails then, before any connection is tried
    JsonObject tcp = run(new JsonObject().put("type", "random").put("length", 10),
      new JsonObject().put("type", "tcp").put("mode", "connect").put("host", "10.1.1.1").put("port", 9));
    assertThat(tcp.getString("state")).isEqualTo("FAILED");
    assertThat(tcp.getJsonObject("error").getInteger("code")).isEqualTo(403);
    assertThat(tcp.getJsonObject("error").getString("message")).isEqualTo("sink.host: 10.1.1.1:9 is denied by egress.deny");
    refused(new JsonObject().put("type", "random").put("length", 10),
      new JsonObject().put("type", "udp").put("host", "127.0.0.1").put("port", cluster.node(0).dataPort()),
      "sink.host: 127.0.0.1:" + cluster.node(0).dataPort() + " is a control, data or cluster port");
  }

  @Test
  void an_allowed_server_is_still_reached() throws Exception {
    JsonObject status = run(http("http://127.0.0.1:" + serverPort + "/ok"), new JsonObject().put("type", "null"));
    assertThat(status.getString("state")).as("%s", status.getJsonObject("error")).isEqualTo("DONE");
    assertThat(status.getLong("bytes")).isEqualTo("fine".length());
  }
}
