package io.xfernode.node;

import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import io.xfernode.test.TestCerts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SPEC 5: TLS on the bridge, on HTTP and on the clustered event bus. Two nodes whose every listener
 * presents a self-signed certificate made for the test; a client that trusts it is served, one that
 * does not, or that speaks cleartext, is not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(90)
class TlsListenersTest {

  private TestCerts certs;
  private TestCluster cluster;
  private SSLContext trusting;

  @BeforeAll
  void start() throws Exception {
    certs = TestCerts.create();
    JsonObject serve = certs.serverTls();
    JsonObject both = serve.copy().mergeIn(certs.clientTls());
    cluster = TestCluster.start("tls", 2, flags -> flags
      .put("bridge", flags.getJsonObject("bridge").copy().put("tls", serve))
      .put("http", flags.getJsonObject("http").copy().put("tls", serve))
      .put("eventBus", new JsonObject().put("tls", both))
      .put("data", flags.getJsonObject("data").copy().put("tls", both)));
    trusting = trustingContext(Path.of(certs.clientTls().getJsonObject("pemTrust").getJsonArray("certPaths")
      .getString(0)));
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static SSLContext trustingContext(Path pem) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(pem)) {
      trust.setCertificateEntry("xfer", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  @Test
  void a_transfer_across_nodes_runs_over_the_tls_event_bus_and_is_submitted_through_the_tls_bridge()
    throws Exception {
    String id = "tls-1";
    long length = 3L * 1024 * 1024 + 7;
    CompletableFuture<JsonObject> ended = new CompletableFuture<>();
    var events = cluster.node(0).vertx().eventBus().<JsonObject>consumer(Addresses.events(id), m -> {
      if ("state".equals(m.body().getString("type")) && m.body().getString("state").matches("DONE|FAILED|CANCELLED")) {
        ended.complete(m.body());
      }
    });
    TestCluster.await(events.completion());
    try (BridgeClient client = new BridgeClient(trusting.getSocketFactory(), cluster.node(0).bridgePort())) {
      JsonObject reply = client.request(Addresses.SUBMIT, new JsonObject().put("id", id)
        .put("source", new JsonObject().put("type", "random").put("seed", 7).put("length", length))
        .put("sink", new JsonObject().put("type", "digest").put("node", "n1").put("algorithm", "sha256")));
      assertThat(reply.getString("type")).as("submit answer %s", reply).isEqualTo("message");
      assertThat(ended.get(60, TimeUnit.SECONDS).getString("state")).isEqualTo("DONE");

      JsonObject status = client.request(Addresses.STATUS, new JsonObject().put("id", id)).getJsonObject("body");
      assertThat(status.getLong("bytes")).isEqualTo(length);
      assertThat(status.getJsonObject("checksum").getString("value")).as("sha256 seen on n1")
        .isEqualTo(sha256OfRandom(7, length));
    } finally {
      TestCluster.await(events.unregister());
    }
  }

  /** The bytes of the random source, made by a node-local transfer to a digest on n0 alone. */
  private String sha256OfRandom(long seed, long length) throws Exception {
    JsonObject spec = new JsonObject().put("id", "tls-local-" + seed)
      .put("source", new JsonObject().put("type", "random").put("seed", seed).put("length", length))
      .put("sink", new JsonObject().put("type", "digest").put("algorithm", "sha256"));
    CompletableFuture<JsonObject> done = new CompletableFuture<>();
    var events = cluster.node(0).vertx().eventBus().<JsonObject>consumer(Addresses.events(spec.getString("id")),
      m -> {
        if ("done".equals(m.body().getString("type"))) {
          done.complete(m.body());
        }
      });
    TestCluster.await(events.completion());
    TestCluster.await(cluster.node(0).vertx().eventBus().request(Addresses.SUBMIT, spec));
    JsonObject event = done.get(60, TimeUnit.SECONDS);
    TestCluster.await(events.unregister());
    return event.getJsonObject("checksum").getString("value");
  }

  @Test
  void with_data_tls_a_file_crosses_over_the_pool_and_a_direct_hop_is_refused() throws Exception {
    byte[] data = io.xfernode.source.RandomBytes.bytes(11, 2 * 1024 * 1024 + 5);
    Files.write(cluster.root(0).resolve("tls-in.bin"), data);
    JsonObject done = cluster.run(0, new JsonObject().put("id", "tls-pool-1")
      .put("source", "file://n0/data/tls-in.bin").put("sink", "file://n1/data/tls-out.bin")
      .put("options", new JsonObject().put("streams", 2)));
    assertThat(done.getString("state")).as("%s", done.getJsonObject("error")).isEqualTo("DONE");
    assertThat(Files.readAllBytes(cluster.root(1).resolve("tls-out.bin"))).isEqualTo(data);

    // a direct hop would be cleartext: refused, and nothing crosses
    assertThatThrownBy(() -> TestCluster.await(cluster.node(0).vertx().eventBus().request(Addresses.SUBMIT,
      new JsonObject().put("source", "file://n0/data/tls-in.bin").put("sink", "file://n1/data/tls-direct.bin")
        .put("options", new JsonObject().put("hop", "direct")))))
      .isInstanceOfSatisfying(io.vertx.core.eventbus.ReplyException.class, e -> {
        assertThat(e.failureCode()).isEqualTo(403);
        assertThat(e.getMessage()).startsWith("options.hop: node ").contains("data.tls");
      });
    assertThat(cluster.root(1).resolve("tls-direct.bin")).doesNotExist();
  }

  @Test
  void a_bridge_client_that_does_not_trust_the_certificate_is_refused() {
    assertThatThrownBy(() -> {
      try (BridgeClient client = new BridgeClient(SSLContext.getDefault().getSocketFactory(),
        cluster.node(0).bridgePort())) {
        client.request(Addresses.NODES, new JsonObject());
      }
    }).isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void a_cleartext_bridge_client_gets_no_answer() throws Exception {
    try (BridgeClient client = new BridgeClient(cluster.node(1).bridgePort())) {
      client.send(new JsonObject().put("type", "send").put("address", Addresses.NODES).put("replyAddress", "r"));
      // the TLS server takes the frame for a broken handshake and closes the connection
      assertThat(client.readByte()).as("cleartext answered").isIn(-1, 0x15);
    }
  }

  @Test
  void http_is_served_over_tls_only() throws Exception {
    HttpClient https = HttpClient.newBuilder().sslContext(trusting).connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> nodes = https.send(HttpRequest.newBuilder(
      URI.create("https://127.0.0.1:" + cluster.node(1).httpPort() + "/api/nodes")).build(),
      HttpResponse.BodyHandlers.ofString());
    assertThat(nodes.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(nodes.body()).getJsonArray("nodes")).hasSize(2);

    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(
      URI.create("http://127.0.0.1:" + cluster.node(1).httpPort() + "/api/nodes"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
      .isInstanceOf(IOException.class);
  }
}
