package io.xfernode.node.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.node.BridgeClient;
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
import java.nio.file.Files;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens and roles (SPEC 5) on each edge a client can reach: HTTP, the TCP bridge and SockJS. Each role is
 * tried where it is refused and where it is allowed, and a submitter cannot cancel another's transfer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(90)
class AuthTest {

  static final String READER = "reader-secret-0123456789";
  static final String ALICE = "alice-secret-0123456789";
  static final String BOB = "bob-secret-0123456789abc";
  static final String ADMIN = "admin-secret-0123456789";

  private TestCluster cluster;
  private HttpClient http;
  private String base;

  @BeforeAll
  void start() throws Exception {
    cluster = TestCluster.start("auth", 1, flags -> flags.put("auth", new JsonObject().put("tokens", new JsonArray()
      .add(new JsonObject().put("name", "reader").put("token", READER).put("role", "read"))
      .add(new JsonObject().put("name", "alice").put("token", ALICE).put("role", "submit"))
      .add("bob:submit:" + BOB)
      .add(new JsonObject().put("name", "ops").put("token", ADMIN).put("role", "admin")))));
    http = HttpClient.newHttpClient();
    base = "http://127.0.0.1:" + cluster.node(0).httpPort();
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private HttpResponse<String> call(String token, String method, String path, JsonObject body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(java.time.Duration.ofSeconds(30))
      .header("Content-Type", "application/json")
      .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject copy(String id, int length) {
    return new JsonObject().put("id", id).put("source", "random:?seed=5&length=" + length)
      .put("sink", "file://n0/data/" + id + ".bin").put("options", new JsonObject().put("checksum", "sha256"));
  }

  /** A transfer that runs until it is cancelled: about 200 s at 1 MB/s. */
  private static JsonObject slow(String id) {
    return new JsonObject().put("id", id).put("source", "random:?seed=1&length=200000000")
      .put("filters", new JsonArray().add(new JsonObject().put("type", "throttle").put("rate", 1_000_000)))
      .put("sink", "null:");
  }

  private static JsonObject bearer(String token) {
    return new JsonObject().put("authorization", "Bearer " + token);
  }

  @Test
  void http_refuses_a_missing_or_unknown_token_with_401_and_a_role_that_does_not_allow_it_with_403() throws Exception {
    HttpResponse<String> none = call(null, "GET", "/api/nodes", null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"xfernode\"");
    assertThat(new JsonObject(none.body()).getString("message")).startsWith("Authorization: a token is required");
    HttpResponse<String> unknown = call("not-a-token-of-this-node", "GET", "/api/nodes", null);
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(unknown.body()).getString("message")).isEqualTo("Authorization: unknown token");

    assertThat(call(READER, "GET", "/api/nodes", null).statusCode()).isEqualTo(200);
    String id = "http-read-" + UUID.randomUUID();
    assertThat(call(READER, "POST", "/api/plan", copy(id, 10)).statusCode()).as("plan is reading").isEqualTo(200);
    HttpResponse<String> submit = call(READER, "POST", "/api/transfers", copy(id, 10));
    assertThat(submit.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(submit.body()).getString("message"))
      .isEqualTo("Authorization: token \"reader\" has role read; POST /api/transfers needs submit");
    assertThat(call(READER, "GET", "/api/transfers/" + id, null).statusCode()).as("nothing started").isEqualTo(404);
  }

  @Test
  void health_and_metrics_need_a_read_token_where_tokens_are_configured() throws Exception {
    for (String path : java.util.List.of("/health", "/metrics")) {
      assertThat(call(null, "GET", path, null).statusCode()).as(path).isEqualTo(401);
      HttpResponse<String> read = call(READER, "GET", path, null);
      assertThat(read.statusCode()).as(path + ": " + read.body()).isEqualTo(200);
    }
    assertThat(call(READER, "GET", "/metrics", null).body()).contains("xfer_transfers_running");
  }

  @Test
  void the_dashboard_page_is_open_but_its_pools_need_a_read_token() throws Exception {
    // the page must load to ask for a token; what it shows comes from /api, which asks for one
    HttpResponse<String> page = call(null, "GET", "/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<script src=\"dashboard.js\"");
    assertThat(call(null, "GET", "/api/pools", null).statusCode()).isEqualTo(401);
    assertThat(call("not-a-token-of-this-node", "GET", "/api/pools", null).statusCode()).isEqualTo(401);
    HttpResponse<String> pools = call(READER, "GET", "/api/pools", null);
    assertThat(pools.statusCode()).as(pools.body()).isEqualTo(200);
    assertThat(new JsonObject(pools.body()).getJsonArray("pools").stream().map(p -> ((JsonObject) p).getString("name")))
      .contains("default");
  }

  @Test
  void the_cluster_event_stream_needs_a_read_token() throws Exception {
    HttpResponse<String> none = call(null, "GET", "/api/events", null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"xfernode\"");
    assertThat(call("not-a-token-of-this-node", "GET", "/api/events", null).statusCode()).isEqualTo(401);
    HttpResponse<java.util.stream.Stream<String>> read = http.send(HttpRequest.newBuilder(URI.create(base + "/api/events"))
      .header("Authorization", "Bearer " + READER).GET().build(), HttpResponse.BodyHandlers.ofLines());
    try (java.util.stream.Stream<String> lines = read.body()) {
      assertThat(read.statusCode()).isEqualTo(200);
      assertThat(read.headers().firstValue("Content-Type")).hasValue("text/event-stream");
      // the node's consumer is registered once this comes: a transfer started now is heard
      java.util.Iterator<String> it = lines.iterator();
      assertThat(java.util.concurrent.CompletableFuture.supplyAsync(it::next).get(30, java.util.concurrent.TimeUnit.SECONDS))
        .isEqualTo(": following xfer.events");
      String id = "http-events-" + UUID.randomUUID();
      assertThat(call(ALICE, "POST", "/api/transfers", copy(id, 1000)).statusCode()).isEqualTo(201);
      String type = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        String last = null;
        while (it.hasNext()) {
          String line = it.next();
          if (line.startsWith("event: ")) {
            last = line.substring(7);
          } else if (line.startsWith("data: ") && id.equals(new JsonObject(line.substring(6)).getString("id"))) {
            return last;
          }
        }
        return null;
      }).get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(type).as("the first event of the transfer started after subscribing").isEqualTo("state");
    }
  }

  @Test
  @Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES) // a fresh machine installs the browser first
  void the_dashboard_in_chromium_says_a_token_is_required_and_shows_nothing_without_one() throws Exception {
    String dom = Chromium.require().dumpDom(base + "/", 2000);
    assertThat(dom).as(dom).contains("<p id=\"alert\" class=\"alert\" role=\"alert\">Token required: this node has "
      + "tokens configured; enter one above.</p>");
    assertThat(dom).as("no node listed").doesNotContain("class=\"node-id");
  }

  @Test
  void a_submitted_transfer_records_its_submitter_and_only_it_or_an_admin_may_cancel_it() throws Exception {
    int length = 3 << 20;
    String done = "http-alice-" + UUID.randomUUID();
    HttpResponse<String> ok = call(ALICE, "POST", "/api/transfers", copy(done, length));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
    JsonObject status = awaitEnd(ALICE, done);
    assertThat(status.getString("state")).isEqualTo("DONE");
    assertThat(status.getString("submittedBy")).isEqualTo("alice");
    assertThat(Files.readAllBytes(cluster.root(0).resolve(done + ".bin"))).isEqualTo(RandomBytes.bytes(5, length));

    String running = "http-slow-" + UUID.randomUUID();
    assertThat(call(ALICE, "POST", "/api/transfers", slow(running)).statusCode()).isEqualTo(201);
    HttpResponse<String> byBob = call(BOB, "DELETE", "/api/transfers/" + running, null);
    assertThat(byBob.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(byBob.body()).getString("message")).contains("only its submitter or an admin may");
    assertThat(call(READER, "DELETE", "/api/transfers/" + running, null).statusCode()).isEqualTo(403);
    assertThat(awaitState(READER, running, "RUNNING")).isEqualTo("RUNNING");
    HttpResponse<String> byAdmin = call(ADMIN, "DELETE", "/api/transfers/" + running, null);
    assertThat(byAdmin.statusCode()).as(byAdmin.body()).isEqualTo(200);
    assertThat(awaitEnd(READER, running).getString("state")).isEqualTo("CANCELLED");

    String own = "http-own-" + UUID.randomUUID();
    assertThat(call(BOB, "POST", "/api/transfers", slow(own)).statusCode()).isEqualTo(201);
    assertThat(call(BOB, "DELETE", "/api/transfers/" + own, null).statusCode()).isEqualTo(200);
    assertThat(awaitEnd(BOB, own).getString("state")).isEqualTo("CANCELLED");
  }

  @Test
  void the_tcp_bridge_checks_every_frame_and_a_client_cannot_stamp_itself_admin() throws Exception {
    try (BridgeClient c = new BridgeClient(cluster.node(0).bridgePort())) {
      JsonObject none = c.request("xfer.nodes", new JsonObject());
      assertThat(none.getString("type")).isEqualTo("err");
      assertThat(none.getInteger("failureCode")).isEqualTo(401);
      assertThat(none.getString("message")).startsWith("headers.authorization: a token is required");

      JsonObject nodes = c.request("xfer.nodes", new JsonObject(), bearer(READER));
      assertThat(nodes.getString("type")).as(nodes.encode()).isEqualTo("message");

      String id = "bridge-" + UUID.randomUUID();
      JsonObject refused = c.request("xfer.submit", copy(id, 10), bearer(READER));
      assertThat(refused.getInteger("failureCode")).isEqualTo(403);
      assertThat(refused.getString("message")).isEqualTo("address: token \"reader\" has role read; sending to "
        + "xfer.submit needs submit");
      // headers the node writes itself are dropped, whatever the client claims
      JsonObject forged = c.request("xfer.pools", new JsonObject().put("op", "define")
          .put("pool", new JsonObject().put("name", "forged")),
        bearer(ALICE).put("xfer-access", "admin").put("xfer-caller", "ops"));
      assertThat(forged.getInteger("failureCode")).as(forged.encode()).isEqualTo(403);
      assertThat(forged.getString("message")).startsWith("op: token \"alice\" has role submit");
      JsonObject defined = c.request("xfer.pools", new JsonObject().put("op", "define")
        .put("pool", new JsonObject().put("name", "by-admin")), bearer(ADMIN));
      assertThat(defined.getString("type")).as(defined.encode()).isEqualTo("message");

      c.send(new JsonObject().put("type", "register").put("address", "xfer.events." + id));
      JsonObject unregistered = c.read();
      assertThat(unregistered.getInteger("failureCode")).isEqualTo(401);
      assertThat(unregistered.getString("address")).isEqualTo("xfer.events." + id);

      c.send(new JsonObject().put("type", "register").put("address", "xfer.events." + id).put("headers", bearer(READER)));
      JsonObject submitted = c.request("xfer.submit", copy(id, 1000), bearer(ALICE));
      assertThat(submitted.getString("type")).as(submitted.encode()).isEqualTo("message");
      // the reader hears the transfer's events
      JsonObject event = c.read();
      assertThat(event.getString("address")).isEqualTo("xfer.events." + id);
      assertThat(awaitEnd(READER, id).getString("submittedBy")).isEqualTo("alice");

      JsonObject bobCancels = c.request("xfer.cancel", new JsonObject().put("id", id), bearer(BOB));
      assertThat(bobCancels.getInteger("failureCode")).isEqualTo(403);
    }
  }

  @Test
  void sockjs_checks_tokens_and_roles_and_its_errors_carry_a_code_and_the_field() throws Exception {
    try (SockJsClient s = new SockJsClient(http, cluster.node(0).httpPort())) {
      JsonObject none = s.request("xfer.nodes", new JsonObject(), null);
      assertThat(none.getInteger("failureCode")).as(none.encode()).isEqualTo(401);
      assertThat(s.request("xfer.nodes", new JsonObject(), "wrong-token-0123456789").getInteger("failureCode"))
        .isEqualTo(401);
      JsonObject nodes = s.request("xfer.nodes", new JsonObject(), READER);
      assertThat(nodes.getJsonObject("body").getJsonArray("nodes")).hasSize(1);

      String id = "sockjs-" + UUID.randomUUID();
      JsonObject refused = s.request("xfer.submit", copy(id, 10), READER);
      assertThat(refused.getInteger("failureCode")).isEqualTo(403);
      JsonObject submitted = s.request("xfer.submit", copy(id, 4096), ALICE);
      assertThat(submitted.getString("type")).as(submitted.encode()).isEqualTo("rec");
      assertThat(awaitEnd(READER, id).getString("submittedBy")).isEqualTo("alice");
      assertThat(Files.readAllBytes(cluster.root(0).resolve(id + ".bin"))).isEqualTo(RandomBytes.bytes(5, 4096));

      s.sendText("{not json");
      JsonObject bad = s.next();
      assertThat(bad.getInteger("failureCode")).isEqualTo(400);
      assertThat(bad.getString("message")).startsWith("frame: malformed JSON");
      s.send(new JsonObject().put("type", "send").put("body", new JsonObject()).put("headers", bearer(READER)));
      JsonObject noAddress = s.next();
      assertThat(noAddress.getInteger("failureCode")).isEqualTo(400);
      assertThat(noAddress.getString("message")).startsWith("address: missing");
    }
  }

  /** Runs the fat jar's command line in this JVM; its output lands in {@code out}. */
  private int cli(StringBuilder out, String... args) {
    picocli.CommandLine cl = io.xfernode.node.cli.CliAccess.commandLine();
    java.io.StringWriter o = new java.io.StringWriter();
    java.io.StringWriter e = new java.io.StringWriter();
    cl.setOut(new java.io.PrintWriter(o, true));
    cl.setErr(new java.io.PrintWriter(e, true));
    int code = cl.execute(args);
    out.append(o).append(e);
    return code;
  }

  @Test
  void the_command_line_carries_its_token_and_a_refusal_exits_2_with_one_line() throws Exception {
    String port = String.valueOf(cluster.node(0).bridgePort());
    StringBuilder none = new StringBuilder();
    assertThat(cli(none, "nodes", "--bridge-port", port)).isEqualTo(2);
    assertThat(none.toString().lines()).hasSize(1).first().asString().contains("401").contains("headers.authorization");
    StringBuilder nodes = new StringBuilder();
    assertThat(cli(nodes, "nodes", "--bridge-port", port, "--token", READER, "--json")).as(nodes.toString()).isZero();
    assertThat(nodes.toString()).contains("\"n0\"");
    StringBuilder refused = new StringBuilder();
    assertThat(cli(refused, "cp", "random:?length=10", "null:", "--bridge-port", port, "--token", READER, "-q"))
      .isEqualTo(2);
    assertThat(refused.toString()).contains("403").doesNotContain("Exception");
    String id = "cli-" + UUID.randomUUID();
    StringBuilder copied = new StringBuilder();
    assertThat(cli(copied, "cp", "random:?seed=5&length=70000", "data/" + id + ".bin", "--id", id, "--bridge-port", port,
      "--token", ALICE, "-q")).as(copied.toString()).isZero();
    assertThat(Files.readAllBytes(cluster.root(0).resolve(id + ".bin"))).isEqualTo(RandomBytes.bytes(5, 70000));
    assertThat(awaitEnd(READER, id).getString("submittedBy")).isEqualTo("alice");
  }

  private JsonObject awaitEnd(String token, String id) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      HttpResponse<String> r = call(token, "GET", "/api/transfers/" + id, null);
      JsonObject s = new JsonObject(r.body());
      if (r.statusCode() == 200 && java.util.List.of("DONE", "FAILED", "CANCELLED").contains(s.getString("state"))) {
        return s;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("transfer " + id + " did not end: " + r.body());
      }
      Thread.onSpinWait();
    }
  }

  private String awaitState(String token, String id, String state) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      JsonObject s = new JsonObject(call(token, "GET", "/api/transfers/" + id, null).body());
      if (state.equals(s.getString("state")) || System.nanoTime() > deadline) {
        return s.getString("state");
      }
    }
  }
}
