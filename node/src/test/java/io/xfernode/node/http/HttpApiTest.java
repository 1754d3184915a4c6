package io.xfernode.node.http;

import io.vertx.core.json.JsonObject;
import io.xfernode.node.TestCluster;
import io.xfernode.source.RandomBytes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP API and the SockJS bridge, used the way curl and a browser would. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class HttpApiTest {

  /** An origin the node's config allows besides its own. */
  static final String DASHBOARD = "https://dash.example.com:8443";

  private TestCluster cluster;
  private HttpClient http;
  private String base;

  @BeforeAll
  void start() throws Exception {
    cluster = TestCluster.start("http", 1, flags -> flags.put("http", flags.getJsonObject("http")
      .put("allowedOrigins", new io.vertx.core.json.JsonArray().add(DASHBOARD))));
    http = HttpClient.newHttpClient();
    base = "http://127.0.0.1:" + cluster.node(0).httpPort();
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(java.time.Duration.ofSeconds(30));
    b = switch (method) {
      case "POST" -> b.POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
      case "DELETE" -> b.DELETE().header("Content-Type", "application/json");
      default -> b.GET();
    };
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A request as a web page in a browser would send it, with its {@code Origin}. */
  private HttpResponse<String> fromPage(String origin, String method, String path, String contentType, String body)
    throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(java.time.Duration.ofSeconds(30));
    if (origin != null) {
      b.header("Origin", origin);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void a_page_of_another_origin_cannot_submit_and_starts_nothing() throws Exception {
    String id = "csrf-" + UUID.randomUUID();
    String spec = new JsonObject().put("id", id).put("source", "random:?length=10").put("sink", "null:").encode();
    // the form a foreign page can post without asking the browser first
    HttpResponse<String> foreign = fromPage("http://evil.example", "POST", "/api/transfers", "text/plain", spec);
    assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(403);
    assertThat(new JsonObject(foreign.body()).getString("message"))
      .startsWith("Origin: http://evil.example is not this node's origin");
    // the same without an Origin (a page can suppress it): still not JSON, still refused
    HttpResponse<String> plain = fromPage(null, "POST", "/api/transfers", "text/plain", spec);
    assertThat(plain.statusCode()).as(plain.body()).isEqualTo(400);
    assertThat(new JsonObject(plain.body()).getString("message"))
      .isEqualTo("Content-Type: a request that changes state must be application/json, got text/plain");
    HttpResponse<String> cancel = fromPage("http://evil.example", "DELETE", "/api/transfers/" + id, "application/json", null);
    assertThat(cancel.statusCode()).isEqualTo(403);
    assertThat(send("GET", "/api/transfers/" + id, null).statusCode()).as("nothing was started").isEqualTo(404);
  }

  @Test
  void the_nodes_own_origin_and_the_configured_ones_may_call_it_and_answers_are_never_sniffed() throws Exception {
    String own = "http://127.0.0.1:" + cluster.node(0).httpPort();
    for (String origin : List.of(own, "http://localhost:" + cluster.node(0).httpPort(), DASHBOARD)) {
      HttpResponse<String> r = fromPage(origin, "POST", "/api/transfers", "application/json; charset=utf-8",
        new JsonObject().put("source", "random:?length=10").put("sink", "null:").encode());
      assertThat(r.statusCode()).as("%s: %s", origin, r.body()).isEqualTo(201);
    }
    // another port of the same host is another origin
    assertThat(fromPage("http://127.0.0.1:1", "GET", "/api/nodes", null, null).statusCode()).isEqualTo(403);
    HttpResponse<String> nodes = fromPage(null, "GET", "/api/nodes", null, null);
    assertThat(nodes.statusCode()).isEqualTo(200);
    assertThat(nodes.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(nodes.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
      assertThat(csp).contains("default-src 'self'"));
  }

  @Test
  void sockjs_refuses_a_foreign_origin() throws Exception {
    HttpResponse<String> info = fromPage("http://evil.example", "GET", "/eventbus/info", null, null);
    assertThat(info.statusCode()).isEqualTo(403);
    HttpResponse<String> own = fromPage("http://127.0.0.1:" + cluster.node(0).httpPort(), "GET", "/eventbus/info",
      null, null);
    assertThat(own.statusCode()).isEqualTo(200);
    CompletableFuture<Integer> refused = new CompletableFuture<>();
    http.newWebSocketBuilder().header("Origin", "http://evil.example")
      .buildAsync(URI.create("ws://127.0.0.1:" + cluster.node(0).httpPort() + "/eventbus/websocket"),
        new WebSocket.Listener() { })
      .whenComplete((w, t) -> {
        if (t != null && t.getCause() instanceof java.net.http.WebSocketHandshakeException h) {
          refused.complete(h.getResponse().statusCode());
        } else {
          refused.completeExceptionally(new AssertionError("a foreign origin's WebSocket was opened", t));
        }
      });
    assertThat(refused.get(10, TimeUnit.SECONDS)).isEqualTo(403);
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  @Test
  void submit_follow_and_read_a_transfer_over_http() throws Exception {
    String id = "http-" + UUID.randomUUID();
    int length = 2 * 1024 * 1024 + 5;
    HttpResponse<String> submitted = send("POST", "/api/transfers", new JsonObject().put("id", id)
      .put("source", "random:?seed=8&length=" + length).put("sink", "digest:").encode());
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
    assertThat(submitted.headers().firstValue("Location")).hasValue("/api/transfers/" + id);

    HttpResponse<String> events = send("GET", "/api/transfers/" + id + "/events", null);
    assertThat(events.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    List<String> types = events.body().lines().filter(l -> l.startsWith("event: ")).collect(Collectors.toList());
    assertThat(types).as("the stream ends with done").last().isEqualTo("event: done");
    assertThat(events.body()).contains("\"state\":\"DONE\"");

    HttpResponse<String> status = send("GET", "/api/transfers/" + id, null);
    assertThat(status.statusCode()).isEqualTo(200);
    JsonObject s = new JsonObject(status.body());
    assertThat(s.getString("state")).isEqualTo("DONE");
    assertThat(s.getJsonObject("checksum").getString("value")).isEqualTo(sha256(RandomBytes.bytes(8, length)));

    JsonObject list = new JsonObject(send("GET", "/api/transfers?state=DONE&limit=5", null).body());
    assertThat(list.getJsonArray("transfers").stream().map(t -> ((JsonObject) t).getString("id"))).contains(id);
    JsonObject nodes = new JsonObject(send("GET", "/api/nodes", null).body());
    assertThat(nodes.getJsonArray("nodes").getJsonObject(0).getJsonObject("http").getInteger("port"))
      .isEqualTo(cluster.node(0).httpPort());
  }

  @Test
  void cancel_over_http_returns_the_final_status() throws Exception {
    String id = "http-cancel-" + UUID.randomUUID();
    assertThat(send("POST", "/api/transfers", new JsonObject().put("id", id)
      .put("source", "random:?length=1099511627776").put("sink", "null:").encode()).statusCode()).isEqualTo(201);
    HttpResponse<String> cancelled = send("DELETE", "/api/transfers/" + id + "?reason=enough", null);
    assertThat(cancelled.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(cancelled.body()).getString("state")).isEqualTo("CANCELLED");
  }

  @Test
  void errors_carry_the_spec_code_as_the_http_status_and_name_the_field() throws Exception {
    HttpResponse<String> malformed = send("POST", "/api/transfers", "{\"source\": ");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(malformed.body()).getString("message")).startsWith("request: malformed JSON: ")
      .endsWith(" at line 1, column 12");
    HttpResponse<String> array = send("POST", "/api/transfers", "[1]");
    assertThat(array.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(array.body()).getString("message")).isEqualTo("request: must be a JSON object, got an array");

    HttpResponse<String> unknown = send("GET", "/api/transfers/nope", null);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(unknown.body()).getInteger("code")).isEqualTo(404);

    HttpResponse<String> badType = send("POST", "/api/plan", new JsonObject().put("source", "teleport:")
      .put("sink", "null:").encode());
    assertThat(badType.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(badType.body()).getString("message")).startsWith("source.type: unknown source type");

    HttpResponse<String> tooBig = send("POST", "/api/plan", "{\"x\": \"" + "a".repeat(2 * 1024 * 1024) + "\"}");
    assertThat(tooBig.statusCode()).isEqualTo(413);
  }

  @Test
  void the_sockjs_bridge_answers_public_addresses_and_refuses_others() throws Exception {
    CompletableFuture<String> first = new CompletableFuture<>();
    CompletableFuture<String> second = new CompletableFuture<>();
    WebSocket ws = http.newWebSocketBuilder().buildAsync(
      URI.create("ws://127.0.0.1:" + cluster.node(0).httpPort() + "/eventbus/websocket"), new WebSocket.Listener() {
        final StringBuilder text = new StringBuilder();

        @Override
        public void onError(WebSocket w, Throwable error) {
          first.completeExceptionally(error);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
          first.completeExceptionally(new IllegalStateException("closed " + code + " " + reason));
          return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket w, java.nio.ByteBuffer data, boolean last) {
          // the raw WebSocket transport sends the bridge's JSON frames as binary messages
          return onText(w, java.nio.charset.StandardCharsets.UTF_8.decode(data), last);
        }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
          text.append(data);
          if (last) {
            if (!first.isDone()) {
              first.complete(text.toString());
            } else {
              second.complete(text.toString());
            }
            text.setLength(0);
          }
          w.request(1);
          return null;
        }
      }).get(10, TimeUnit.SECONDS);
    ws.sendText(new JsonObject().put("type", "send").put("address", "xfer.nodes").put("replyAddress", "r1")
      .put("body", new JsonObject()).encode(), true).get(10, TimeUnit.SECONDS);
    JsonObject reply = new JsonObject(first.get(10, TimeUnit.SECONDS));
    assertThat(reply.getJsonObject("body").getJsonArray("nodes")).hasSize(1);
    ws.sendText(new JsonObject().put("type", "send").put("address", "xfer.internal.agent.n0").put("replyAddress", "r2")
      .put("body", new JsonObject()).encode(), true).get(10, TimeUnit.SECONDS);
    String denied;
    try {
      denied = second.get(5, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer; first was " + first.get());
    }
    assertThat(new JsonObject(denied).getInteger("failureCode")).isEqualTo(403);
    assertThat(new JsonObject(denied).getString("message"))
      .isEqualTo("address: \"xfer.internal.agent.n0\" is not a public address a client may send to");
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
  }
}
