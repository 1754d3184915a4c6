package io.xfernode.node.ops;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.node.TestCluster;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /health} and {@code GET /metrics} (SPEC 2.7) of real nodes, read the way curl and Prometheus
 * would. Node n1 has a second root, {@code spare}, that one test takes away and puts back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(90)
class OperationsTest {

  /** One sample of the Prometheus text format: a name, optional labels, a value, an optional timestamp. */
  private static final Pattern SAMPLE = Pattern.compile(
    "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*})? "
      + "(-?[0-9.eE+-]+|NaN|[+-]Inf)( -?[0-9]+)?");

  private TestCluster cluster;
  private Path spare;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    cluster = TestCluster.start("ops", 2, flags -> {
      if (flags.getInteger("index") == 1) {
        JsonObject roots = flags.getJsonObject("roots");
        Path data = Path.of(roots.getString("data"));
        roots.put("spare", data.resolveSibling("spare").toString());
      }
      return flags;
    });
    spare = cluster.root(1).resolveSibling("spare");
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private HttpResponse<String> get(int node, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.node(node).httpPort() + path))
      .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void health_is_up_with_a_check_for_the_node_its_cluster_its_roots_and_its_data_port() throws Exception {
    HttpResponse<String> r = get(1, "/health");
    assertThat(r.statusCode()).as("status; body %s", r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(r.headers().firstValue("X-Content-Type-Options")).as("the browser rules apply").hasValue("nosniff");
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("status")).isEqualTo("UP");
    Map<String, JsonObject> checks = byId(body.getJsonArray("checks"));
    assertThat(checks).containsOnlyKeys("node", "cluster", "roots", "data-port");
    checks.values().forEach(c -> assertThat(c.getString("status")).as("check %s", c).isEqualTo("UP"));
    assertThat(byId(checks.get("roots").getJsonArray("checks"))).containsOnlyKeys("data", "spare");
    assertThat(checks.get("cluster").getJsonObject("data").getInteger("members")).isEqualTo(2);
    assertThat(checks.get("node").getJsonObject("data").getString("id")).isEqualTo("n1");
  }

  @Test
  void a_root_that_is_gone_makes_health_answer_503_naming_it() throws Exception {
    Files.delete(spare);
    try {
      HttpResponse<String> r = get(1, "/health");
      assertThat(r.statusCode()).as("status; body %s", r.body()).isEqualTo(503);
      JsonObject body = new JsonObject(r.body());
      assertThat(body.getString("status")).isEqualTo("DOWN");
      Map<String, JsonObject> checks = byId(body.getJsonArray("checks"));
      assertThat(checks.get("roots").getString("status")).isEqualTo("DOWN");
      JsonObject root = byId(checks.get("roots").getJsonArray("checks")).get("spare");
      assertThat(root.getString("status")).isEqualTo("DOWN");
      assertThat(root.getJsonObject("data").getString("reason")).contains(spare.toString()).contains("no such directory");
      assertThat(byId(checks.get("roots").getJsonArray("checks")).get("data").getString("status"))
        .as("the other root").isEqualTo("UP");
      assertThat(checks.get("node").getString("status")).isEqualTo("UP");

      HttpResponse<String> one = get(1, "/health/roots/spare");
      assertThat(one.statusCode()).as("the check alone").isEqualTo(503);
      assertThat(get(0, "/health").statusCode()).as("the other node").isEqualTo(200);
    } finally {
      Files.createDirectories(spare);
    }
    assertThat(get(1, "/health").statusCode()).as("with the root back").isEqualTo(200);
  }

  @Test
  void health_and_metrics_answer_only_get() throws Exception {
    for (String path : List.of("/health", "/metrics")) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + cluster.node(0).httpPort() + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as("POST %s", path).isIn(404, 405);
    }
    HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
      + cluster.node(0).httpPort() + "/metrics")).header("Origin", "https://evil.example.com").GET().build(),
      HttpResponse.BodyHandlers.ofString());
    assertThat(foreign.statusCode()).as("a page of another origin").isEqualTo(403);
  }

  @Test
  void metrics_count_a_transfer_its_bytes_and_its_state_next_to_vertx_metrics() throws Exception {
    Map<String, Double> before = scrape(0);
    double doneBefore = before.getOrDefault("xfer_transfers_total{state=\"DONE\"}", -1.0);
    assertThat(doneBefore).as("DONE is there from the start").isGreaterThanOrEqualTo(0);
    double bytesBefore = before.get("xfer_bytes_total");
    int length = 3_000_000;
    JsonObject status = cluster.run(0, new JsonObject().put("id", "metrics-" + UUID.randomUUID())
      .put("source", new JsonObject().put("type", "random").put("seed", 9).put("length", length))
      .put("sink", new JsonObject().put("type", "null").put("node", "n1"))
      .put("options", new JsonObject().put("hop", "pool")));
    assertThat(status.getString("state")).as("status %s", status).isEqualTo("DONE");

    // the final state event goes out just before the engine counts the transfer as ended
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    Map<String, Double> after = scrape(0);
    while (after.get("xfer_transfers_total{state=\"DONE\"}") < doneBefore + 1 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      after = scrape(0);
    }
    assertThat(after.get("xfer_transfers_total{state=\"DONE\"}")).isEqualTo(doneBefore + 1);
    assertThat(after.get("xfer_bytes_total")).isEqualTo(bytesBefore + length);
    assertThat(after.get("xfer_transfers_running")).isEqualTo(0.0);
    assertThat(after.get("xfer_transfer_seconds_count")).isGreaterThanOrEqualTo(1.0);
    assertThat(after.keySet()).anyMatch(k -> k.startsWith("xfer_transfer_seconds_bucket{"));
    assertThat(after.get("xfer_pool_connections{peer=\"n1\",pool=\"default\"}")).as("n0's connections to n1")
      .isGreaterThanOrEqualTo(1.0);
    assertThat(after.keySet()).as("Vert.x's own metrics").anyMatch(k -> k.startsWith("vertx_"));
  }

  /** Scrapes node {@code i}; every line must be a comment or a sample, and a sample's key is its name and labels. */
  private Map<String, Double> scrape(int i) throws Exception {
    HttpResponse<String> r = get(i, "/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    Map<String, Double> samples = new HashMap<>();
    for (String line : r.body().split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      assertThat(m.matches()).as("a Prometheus sample: %s", line).isTrue();
      samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)
        .replace("+Inf", "Infinity").replace("-Inf", "-Infinity")));
    }
    return samples;
  }

  private static Map<String, JsonObject> byId(JsonArray checks) {
    Map<String, JsonObject> out = new HashMap<>();
    checks.forEach(c -> out.put(((JsonObject) c).getString("id"), (JsonObject) c));
    return out;
  }
}
