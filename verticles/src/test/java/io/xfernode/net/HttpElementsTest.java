package io.xfernode.net;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import io.xfernode.source.RandomBytes;
import io.xfernode.test.EngineFixture;
import io.xfernode.test.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.xfernode.test.EngineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code http} source and sink against a Vert.x server of the test's own, on 127.0.0.1 and a free port. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class HttpElementsTest {

  /** Over 3 MiB, and not a multiple of any buffer size. */
  static final int LENGTH = 3 * 1024 * 1024 + 12_345;
  static final long SEED = 71;

  private final byte[] body = RandomBytes.bytes(SEED, LENGTH);
  private final Map<String, CompletableFuture<MultiMap>> gets = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Upload>> uploads = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Long>> started = new ConcurrentHashMap<>();
  private EngineFixture fx;
  private HttpServer server;
  private String base;

  /** What the server saw of an upload; its digest computed as the body streamed in. */
  record Upload(String method, long bytes, String sha256, MultiMap headers) {
  }

  @BeforeAll
  void start() throws Exception {
    fx = EngineFixture.start();
    server = fx.vertx().createHttpServer().requestHandler(this::handle);
    await(server.listen(0, "127.0.0.1"));
    base = "http://127.0.0.1:" + server.actualPort();
  }

  @AfterAll
  void stop() throws Exception {
    await(server.close());
    fx.close();
  }

  private void handle(HttpServerRequest req) {
    String path = req.path();
    String key = path.substring(path.lastIndexOf('/') + 1);
    if (path.startsWith("/moved/")) {
      req.response().setStatusCode(301).putHeader(HttpHeaders.LOCATION, "/gone").end();
    } else if (path.startsWith("/redirect/")) {
      req.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, "/data/" + key).end();
    } else if (path.startsWith("/data/")) {
      future(gets, key).complete(MultiMap.caseInsensitiveMultiMap().addAll(req.headers()));
      HttpServerResponse resp = req.response().putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(LENGTH));
      serve(resp, 0);
    } else if (path.startsWith("/upload/")) {
      receive(req, key, () -> { });
    } else if (path.startsWith("/slow/")) {
      // a slow peer: takes one buffer of the body every 2 ms, so the node's writes back up behind it
      req.pause();
      long pace = fx.vertx().setPeriodic(2, t -> req.fetch(1));
      receive(req, key, () -> fx.vertx().cancelTimer(pace));
    } else if (path.startsWith("/short/")) {
      // promises the whole body, sends a part, and hangs up
      req.response().putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(LENGTH))
        .write(Buffer.buffer().appendBytes(body, 0, 100_000)).onComplete(ar -> req.connection().close());
    } else if (path.startsWith("/silent/")) {
      // reads whatever comes and never answers
      req.handler(b -> { });
    } else if (path.startsWith("/fail/")) {
      req.response().setStatusCode(500).end("no");
    } else {
      req.response().setStatusCode(404).end("not here");
    }
  }

  /** Streams {@link #body} from {@code at}, respecting the response's write queue. */
  private void serve(HttpServerResponse resp, int at) {
    int pos = at;
    while (pos < LENGTH && !resp.writeQueueFull()) {
      int n = Math.min(60_000, LENGTH - pos);
      resp.write(Buffer.buffer().appendBytes(body, pos, n));
      pos += n;
    }
    if (pos == LENGTH) {
      resp.end();
    } else {
      int next = pos;
      resp.drainHandler(v -> serve(resp, next));
    }
  }

  private void receive(HttpServerRequest req, String key, Runnable atEnd) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    long[] bytes = {0};
    CompletableFuture<Upload> upload = future(uploads, key);
    req.handler(b -> {
      sha.update(b.getBytes());
      bytes[0] += b.length();
      future(started, key).complete(bytes[0]);
    });
    req.exceptionHandler(upload::completeExceptionally);
    req.endHandler(v -> {
      atEnd.run();
      upload.complete(new Upload(req.method().name(), bytes[0], HexFormat.of().formatHex(sha.digest()),
        MultiMap.caseInsensitiveMultiMap().addAll(req.headers())));
      req.response().setStatusCode(201).end();
    });
  }

  private static <T> CompletableFuture<T> future(Map<String, CompletableFuture<T>> map, String key) {
    return map.computeIfAbsent(key, k -> new CompletableFuture<>());
  }

  private static JsonObject http(String url) {
    return new JsonObject().put("type", "http").put("url", url);
  }

  private static JsonObject random() {
    return new JsonObject().put("type", "random").put("seed", SEED).put("length", LENGTH);
  }

  @Test
  void a_get_follows_a_redirect_and_delivers_every_byte_with_its_length_as_the_total() throws Exception {
    String key = UUID.randomUUID().toString();
    JsonObject status = fx.run(new JsonObject()
      .put("source", http(base + "/redirect/" + key).put("headers", new JsonObject().put("X-Xfer-Test", "hello")))
      .put("sink", new JsonObject().put("type", "digest")));
    assertThat(status.getString("state")).as(status.encodePrettily()).isEqualTo("DONE");
    assertThat(status.getLong("bytes")).isEqualTo(LENGTH);
    assertThat(status.getLong("total")).as("the Content-Length").isEqualTo(LENGTH);
    assertThat(status.getJsonObject("checksum").getString("value")).as("sha256 of the body")
      .isEqualTo(Watch.sha256(body));
    assertThat(gets.get(key).get(5, TimeUnit.SECONDS).get("X-Xfer-Test")).as("the custom header").isEqualTo("hello");
  }

  @Test
  void a_get_answered_with_404_fails_with_404_and_the_status_in_the_message_also_after_a_redirect() throws Exception {
    JsonObject status = fx.run(new JsonObject().put("source", "http://127.0.0.1:" + server.actualPort() + "/nothing")
      .put("sink", new JsonObject().put("type", "null")));
    assertThat(status.getString("state")).isEqualTo("FAILED");
    JsonObject error = status.getJsonObject("error");
    assertThat(error.getInteger("code")).isEqualTo(404);
    assertThat(error.getString("message")).isEqualTo("source.url: GET " + base + "/nothing answered 404 Not Found");
    assertThat(error.getString("element")).isEqualTo("source");

    JsonObject moved = fx.run(new JsonObject().put("source", http(base + "/moved/x"))
      .put("sink", new JsonObject().put("type", "null")));
    assertThat(moved.getJsonObject("error").getInteger("code")).isEqualTo(404);
    assertThat(moved.getJsonObject("error").getString("message"))
      .isEqualTo("source.url: GET " + base + "/moved/x (redirected to " + base + "/gone) answered 404 Not Found");
  }

  @Test
  void a_put_streams_every_byte_to_the_server_in_chunks() throws Exception {
    String key = UUID.randomUUID().toString();
    JsonObject status = fx.run(new JsonObject().put("source", random())
      .put("sink", http(base + "/upload/" + key).put("headers", new JsonObject().put("X-Xfer-Test", "put"))));
    assertThat(status.getString("state")).as(status.encodePrettily()).isEqualTo("DONE");
    Upload upload = uploads.get(key).get(5, TimeUnit.SECONDS);
    assertThat(upload.method()).isEqualTo("PUT");
    assertThat(upload.bytes()).isEqualTo(LENGTH);
    assertThat(upload.sha256()).as("sha256 computed by the server").isEqualTo(Watch.sha256(body));
    assertThat(upload.headers().get("Transfer-Encoding")).isEqualTo("chunked");
    assertThat(upload.headers().get("X-Xfer-Test")).as("the custom header").isEqualTo("put");
  }

  @Test
  void an_upload_is_done_only_once_a_slow_server_has_every_byte() throws Exception {
    String key = UUID.randomUUID().toString();
    JsonObject status = fx.run(new JsonObject().put("source", random()).put("sink", http(base + "/slow/" + key)));
    assertThat(status.getString("state")).as(status.encodePrettily()).isEqualTo("DONE");
    // the server answers after the body's end: DONE means it had read every byte
    Upload upload = uploads.get(key).getNow(null);
    assertThat(upload).as("the slow server's view, complete when the transfer was DONE").isNotNull();
    assertThat(upload.bytes()).isEqualTo(LENGTH);
    assertThat(upload.sha256()).as("sha256 computed by the slow server").isEqualTo(Watch.sha256(body));
  }

  @Test
  void a_post_with_a_content_length_sends_it_unchunked() throws Exception {
    String key = UUID.randomUUID().toString();
    JsonObject status = fx.run(new JsonObject().put("source", random())
      .put("sink", http(base + "/upload/" + key).put("method", "post")
        .put("headers", new JsonObject().put("Content-Length", String.valueOf(LENGTH)))));
    assertThat(status.getString("state")).as(status.encodePrettily()).isEqualTo("DONE");
    Upload upload = uploads.get(key).get(5, TimeUnit.SECONDS);
    assertThat(upload.method()).isEqualTo("POST");
    assertThat(upload.sha256()).as("sha256 computed by the server").isEqualTo(Watch.sha256(body));
    assertThat(upload.headers().get("Transfer-Encoding")).isNull();
  }

  @Test
  void a_put_answered_with_500_fails_with_502_and_the_status_in_the_message() throws Exception {
    JsonObject status = fx.run(new JsonObject().put("source", random()).put("sink", http(base + "/fail/x")));
    assertThat(status.getString("state")).isEqualTo("FAILED");
    JsonObject error = status.getJsonObject("error");
    assertThat(error.getInteger("code")).as("an outside party failed").isEqualTo(502);
    assertThat(error.getString("message"))
      .isEqualTo("sink.url: PUT " + base + "/fail/x answered 500 Internal Server Error");
    assertThat(error.getString("element")).isEqualTo("sink");
  }

  @Test
  void a_cancelled_put_is_aborted_so_the_server_never_sees_a_complete_body() throws Exception {
    String key = UUID.randomUUID().toString();
    String id = "put-cancel-" + key;
    Watch watch = Watch.start(fx, id);
    await(fx.submit(new JsonObject().put("id", id)
      .put("source", new JsonObject().put("type", "random").put("length", 1L << 40))
      .put("sink", http(base + "/upload/" + key))));
    future(started, key).get(10, TimeUnit.SECONDS);
    await(fx.engine().cancel(new JsonObject().put("id", id)));
    assertThat(watch.finalStatus().getString("state")).isEqualTo("CANCELLED");
    assertThatThrownBy(() -> future(uploads, key).get(10, TimeUnit.SECONDS))
      .as("the server's view of the upload").isInstanceOf(ExecutionException.class);
  }

  @Test
  void a_server_that_is_not_there_fails_the_transfer_with_503() throws Exception {
    // a port the OS just handed out and nobody listens on
    String url = "http://127.0.0.1:" + FreePorts.takeFixed(1)[0] + "/x";
    JsonObject status = fx.run(new JsonObject().put("source", random()).put("sink", http(url)));
    assertThat(status.getString("state")).isEqualTo("FAILED");
    assertThat(status.getJsonObject("error").getInteger("code")).isEqualTo(503);
    assertThat(status.getJsonObject("error").getString("message"))
      .startsWith("sink.url: PUT " + url + ": cannot connect");
  }

  @Test
  void a_get_whose_body_is_cut_short_fails_with_503() throws Exception {
    JsonObject status = fx.run(new JsonObject().put("source", http(base + "/short/x"))
      .put("sink", new JsonObject().put("type", "null")));
    assertThat(status.getString("state")).as(status.encodePrettily()).isEqualTo("FAILED");
    assertThat(status.getJsonObject("error").getInteger("code")).isEqualTo(503);
    assertThat(status.getJsonObject("error").getString("message"))
      .startsWith("source.url: GET " + base + "/short/x failed: ");
  }

  @Test
  void an_https_get_trusts_the_certificate_it_is_given_and_refuses_one_it_is_not() throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
    HttpServer tls = fx.vertx().createHttpServer(new HttpServerOptions().setSsl(true)
      .setKeyCertOptions(cert.keyCertOptions())).requestHandler(this::handle);
    await(tls.listen(0, "127.0.0.1"));
    try {
      String url = "https://localhost:" + tls.actualPort() + "/data/" + UUID.randomUUID();
      JsonObject trusted = fx.run(new JsonObject()
        .put("source", http(url).put("tls", new JsonObject().put("pemTrust",
          new JsonObject().put("certPaths", new JsonArray().add(cert.certificatePath())))))
        .put("sink", new JsonObject().put("type", "digest")));
      assertThat(trusted.getString("state")).as(trusted.encodePrettily()).isEqualTo("DONE");
      assertThat(trusted.getJsonObject("checksum").getString("value")).isEqualTo(Watch.sha256(body));

      JsonObject untrusted = fx.run(new JsonObject().put("source", http(url))
        .put("sink", new JsonObject().put("type", "null")));
      assertThat(untrusted.getString("state")).isEqualTo("FAILED");
      assertThat(untrusted.getJsonObject("error").getInteger("code")).as("TLS fails closed").isEqualTo(403);
      assertThat(untrusted.getJsonObject("error").getString("message")).startsWith("source.tls: TLS for GET " + url);
    } finally {
      await(tls.close());
      cert.delete();
    }
  }

  @Test
  void a_get_whose_answer_does_not_come_within_the_timeout_fails_with_504() throws Exception {
    JsonObject status = fx.run(new JsonObject().put("source", http(base + "/silent/get").put("timeout", "PT0.3S"))
      .put("sink", new JsonObject().put("type", "null")));
    assertThat(status.getString("state")).isEqualTo("FAILED");
    assertThat(status.getJsonObject("error").getInteger("code")).isEqualTo(504);
    assertThat(status.getJsonObject("error").getString("message"))
      .isEqualTo("source.timeout: GET " + base + "/silent/get did not answer within PT0.3S");
  }

  @Test
  void an_upload_whose_answer_does_not_come_within_the_timeout_fails_with_504() throws Exception {
    JsonObject status = fx.run(new JsonObject().put("source", random())
      .put("sink", http(base + "/silent/put").put("timeout", 300)));
    assertThat(status.getString("state")).isEqualTo("FAILED");
    assertThat(status.getJsonObject("error").getInteger("code")).isEqualTo(504);
    assertThat(status.getJsonObject("error").getString("message"))
      .isEqualTo("sink.timeout: PUT " + base + "/silent/put did not answer within PT0.3S of the end of the body");
  }

  @Test
  void credentials_in_the_url_become_a_basic_authorization_and_stay_out_of_the_plan_description() throws Exception {
    String key = UUID.randomUUID().toString();
    String url = "http://alice:s3cr%40t+@127.0.0.1:" + server.actualPort() + "/data/" + key;
    JsonObject status = fx.run(new JsonObject().put("source", http(url))
      .put("sink", new JsonObject().put("type", "null")));
    assertThat(status.getString("state")).as(status.encodePrettily()).isEqualTo("DONE");
    String expected = "Basic " + java.util.Base64.getEncoder().encodeToString("alice:s3cr@t+".getBytes());
    assertThat(gets.get(key).get(5, TimeUnit.SECONDS).get("Authorization")).isEqualTo(expected);
    assertThat(status.getJsonObject("plan").getJsonArray("elements").getJsonObject(0).getString("describe"))
      .isEqualTo("the body of GET " + base + "/data/" + key);
  }
}
