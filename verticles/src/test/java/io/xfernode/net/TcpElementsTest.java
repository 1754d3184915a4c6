package io.xfernode.net;

import io.vertx.core.json.JsonObject;
import io.xfernode.source.RandomBytes;
import io.xfernode.test.EngineFixture;
import io.xfernode.test.Leaks;
import io.xfernode.test.FreePorts;
import io.xfernode.test.TestCerts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.xfernode.test.EngineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The tcp source and sink against plain socket peers, over TLS, with retries, and when cancelled. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class TcpElementsTest {

  static final int LENGTH = 3 * 1024 * 1024 + 1001;

  private EngineFixture fx;
  private byte[] data;
  private String sha;
  private TestCerts certs;

  @BeforeAll
  void start() throws Exception {
    fx = EngineFixture.start();
    data = RandomBytes.bytes(42, LENGTH);
    sha = sha256(data);
    certs = TestCerts.create();
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  static String id() {
    return "tcp-" + UUID.randomUUID();
  }

  static JsonObject random() {
    return new JsonObject().put("type", "random").put("seed", 42).put("length", LENGTH);
  }

  static JsonObject digest() {
    return new JsonObject().put("type", "digest");
  }

  static int port(JsonObject reply, String element) {
    return reply.getJsonObject("endpoints").getJsonObject(element).getJsonObject("listen").getInteger("port");
  }

  /** A plain server socket that accepts one connection and reads it to the end; its SHA-256, or the error. */
  static CompletableFuture<String> readingServer(ServerSocket server) {
    return CompletableFuture.supplyAsync(() -> {
      try (server; Socket s = server.accept(); InputStream in = s.getInputStream()) {
        return sha256(in.readAllBytes());
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
  }

  static ServerSocket serverSocket() throws IOException {
    return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  }

  @Test
  void a_listening_source_reads_what_a_plain_socket_sends() throws Exception {
    EngineFixture.Launched t = fx.launch(new JsonObject().put("id", id())
      .put("source", new JsonObject().put("type", "tcp").put("mode", "listen").put("host", "127.0.0.1"))
      .put("sink", digest()));
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port(t.reply(), "source"));
         OutputStream out = s.getOutputStream()) {
      out.write(data);
    }
    JsonObject status = t.awaitFinal();
    assertThat(status.getString("state")).as("%s", status.getJsonObject("error")).isEqualTo("DONE");
    assertThat(status.getJsonObject("checksum").getString("value")).isEqualTo(sha);
  }

  @Test
  void a_connecting_source_reads_what_a_plain_server_sends() throws Exception {
    long sockets = Leaks.tcpSockets();
    ServerSocket server = serverSocket();
    CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
      try (server; Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
        out.write(data);
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    JsonObject status = fx.run(new JsonObject()
      .put("source", "tcp://127.0.0.1:" + server.getLocalPort())
      .put("sink", digest()));
    sent.get(10, TimeUnit.SECONDS);
    assertThat(status.getString("state")).as("%s", status.getJsonObject("error")).isEqualTo("DONE");
    assertThat(status.getJsonObject("checksum").getString("value")).isEqualTo(sha);
    assertThat(Leaks.tcpSockets()).as("sockets open once the transfer ended").isLessThanOrEqualTo(sockets);
  }

  @Test
  void a_listening_sink_sends_to_a_plain_socket_and_closes_cleanly() throws Exception {
    EngineFixture.Launched t = fx.launch(new JsonObject().put("id", id()).put("source", random())
      .put("sink", new JsonObject().put("type", "tcp").put("mode", "listen").put("host", "127.0.0.1")));
    String got;
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port(t.reply(), "sink"))) {
      got = sha256(s.getInputStream().readAllBytes());
    }
    assertThat(got).isEqualTo(sha);
    assertThat(t.awaitFinal().getString("state")).isEqualTo("DONE");
  }

  @Test
  void a_sink_is_done_only_once_a_slow_reader_can_have_every_byte_and_ends_cleanly() throws Exception {
    byte[] file = RandomBytes.bytes(7, 16 * 1024 * 1024 + 777);
    java.nio.file.Files.write(fx.path("slow-reader.bin"), file);
    io.xfernode.test.SlowReader reader = io.xfernode.test.SlowReader.listen();
    CompletableFuture<byte[]> got = reader.got();
    JsonObject status = fx.run(new JsonObject().put("source", "file:///data/slow-reader.bin")
      .put("sink", "tcp://127.0.0.1:" + reader.port()));
    assertThat(status.getString("state")).isEqualTo("DONE");
    assertThat(status.getLong("bytes")).isEqualTo(file.length);
    byte[] read = got.get(60, TimeUnit.SECONDS);
    assertThat(read.length).as("bytes the slow reader got before a clean end").isEqualTo(file.length);
    assertThat(sha256(read)).isEqualTo(sha256(file));
  }

  @Test
  void a_connecting_sink_sends_to_a_plain_server() throws Exception {
    ServerSocket server = serverSocket();
    CompletableFuture<String> got = readingServer(server);
    JsonObject status = fx.run(new JsonObject().put("source", random())
      .put("sink", "tcp://127.0.0.1:" + server.getLocalPort()));
    assertThat(status.getString("state")).isEqualTo("DONE");
    assertThat(status.getLong("bytes")).isEqualTo(LENGTH);
    assertThat(got.get(10, TimeUnit.SECONDS)).isEqualTo(sha);
    assertThat(status.getJsonObject("info").getJsonObject("sink").getString("connection"))
      .as("the connection, described in one line").matches("tcp /?127\\.0\\.0\\.1:\\d+ -> /?127\\.0\\.0\\.1:" + server.getLocalPort());
  }

  @Test
  void tls_carries_the_bytes_between_two_transfers_with_a_self_signed_certificate() throws Exception {
    EngineFixture.Launched receiver = fx.launch(new JsonObject().put("id", id())
      .put("source", new JsonObject().put("type", "tcp").put("mode", "listen").put("host", "127.0.0.1")
        .put("transport", "tls+tcp").put("tls", certs.serverTls()))
      .put("sink", digest()));
    JsonObject sender = fx.run(new JsonObject().put("source", random())
      .put("sink", new JsonObject().put("type", "tcp").put("host", "127.0.0.1")
        .put("port", port(receiver.reply(), "source")).put("transport", "tls+tcp").put("tls", certs.clientTls())));
    assertThat(sender.getString("state")).as("%s", sender.getJsonObject("error")).isEqualTo("DONE");
    JsonObject status = receiver.awaitFinal();
    assertThat(status.getString("state")).as("%s", status.getJsonObject("error")).isEqualTo("DONE");
    assertThat(status.getJsonObject("checksum").getString("value")).isEqualTo(sha);
  }

  @Test
  void a_client_that_does_not_trust_the_certificate_fails_closed_with_a_clear_error() throws Exception {
    String receiverId = id();
    EngineFixture.Launched receiver = fx.launch(new JsonObject().put("id", receiverId)
      .put("source", new JsonObject().put("type", "tcp").put("mode", "listen").put("host", "127.0.0.1")
        .put("transport", "tls+tcp").put("tls", certs.serverTls()))
      .put("sink", digest()));
    JsonObject sender = fx.run(new JsonObject().put("source", random())
      .put("sink", new JsonObject().put("type", "tcp").put("host", "127.0.0.1")
        .put("port", port(receiver.reply(), "source")).put("transport", "tls+tcp")));
    assertThat(sender.getString("state")).isEqualTo("FAILED");
    assertThat(sender.getJsonObject("error").getInteger("code")).isEqualTo(403);
    assertThat(sender.getJsonObject("error").getString("message")).startsWith("sink.host: TLS with 127.0.0.1:");
    assertThat(sender.getJsonObject("error").getString("element")).isEqualTo("sink");
    await(fx.engine().cancel(new JsonObject().put("id", receiverId)));
    assertThat(receiver.awaitFinal().getString("state")).isEqualTo("CANCELLED");
  }

  @Test
  void listening_with_tls_but_no_certificate_is_refused() throws Exception {
    assertThat(EngineFixture.failureCode(fx.submit(new JsonObject()
      .put("source", new JsonObject().put("type", "tcp").put("mode", "listen").put("transport", "tls+tcp"))
      .put("sink", digest())))).isEqualTo(400);
  }

  @Test
  void tls_that_cannot_be_set_up_fails_the_transfer_and_never_falls_back_to_cleartext() throws Exception {
    JsonObject status = fx.run(new JsonObject()
      .put("source", new JsonObject().put("type", "tcp").put("mode", "listen").put("host", "127.0.0.1")
        .put("transport", "tls+tcp").put("tls", new JsonObject().put("keyStore", new JsonObject()
          .put("path", "/nonexistent/server.p12").put("password", "x"))))
      .put("sink", digest()));
    assertThat(status.getString("state")).isEqualTo("FAILED");
    assertThat(status.getJsonObject("error").getString("element")).isEqualTo("source");
    assertThat(status.getJsonObject("error").getString("message")).contains("/nonexistent/server.p12");
    assertThat(status.getJsonObject("endpoints")).as("nothing ever listened").isNull();
  }

  @Test
  void a_connect_retries_until_the_listener_comes_up() throws Exception {
    int port = FreePorts.takeFixed(1)[0];
    EngineFixture.Launched t = fx.launch(new JsonObject().put("id", id()).put("source", random())
      .put("sink", new JsonObject().put("type", "tcp").put("host", "127.0.0.1").put("port", port)
        .put("retry", new JsonObject().put("until", "PT30S").put("initialDelay", "PT0.05S").put("maxDelay", "PT0.2S"))));
    // the transfer is running and retrying; only now does its peer listen
    CompletableFuture<String> got = readingServer(new ServerSocket(port, 50, InetAddress.getLoopbackAddress()));
    assertThat(t.awaitFinal().getString("state")).isEqualTo("DONE");
    assertThat(got.get(10, TimeUnit.SECONDS)).isEqualTo(sha);
  }

  @Test
  void a_connect_that_never_succeeds_fails_with_504_at_its_deadline() throws Exception {
    int port = FreePorts.takeFixed(1)[0];
    JsonObject status = fx.run(new JsonObject().put("source", random())
      .put("sink", new JsonObject().put("type", "tcp").put("host", "127.0.0.1").put("port", port)
        .put("retry", new JsonObject().put("until", "PT0.5S").put("initialDelay", "PT0.05S"))));
    assertThat(status.getString("state")).isEqualTo("FAILED");
    assertThat(status.getJsonObject("error").getInteger("code")).isEqualTo(504);
    assertThat(status.getJsonObject("error").getString("message")).contains("cannot connect to tcp 127.0.0.1:" + port);
  }

  @Test
  void a_cancelled_sink_resets_the_connection_so_the_peer_never_sees_a_clean_end() throws Exception {
    long sockets = Leaks.tcpSockets();
    ServerSocket server = serverSocket();
    CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
      try (server) {
        return server.accept();
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    String id = id();
    EngineFixture.Launched t = fx.launch(new JsonObject().put("id", id)
      .put("source", new JsonObject().put("type", "random").put("length", 1L << 40))
      .put("sink", "tcp://127.0.0.1:" + server.getLocalPort()));
    try (Socket peer = accepted.get(10, TimeUnit.SECONDS); InputStream in = peer.getInputStream()) {
      byte[] buf = new byte[1 << 16];
      assertThat(in.read(buf)).as("the peer receives bytes first").isPositive();
      await(fx.engine().cancel(new JsonObject().put("id", id)));
      Throwable seen = null;
      try {
        while (in.read(buf) >= 0) {
          // drain what was in flight until the reset arrives
        }
      } catch (SocketException e) {
        seen = e;
      }
      assertThat(seen).as("the peer's read after cancel ends with a reset, not a clean end of stream")
        .isNotNull().hasMessageContaining("reset");
    }
    assertThat(t.awaitFinal().getString("state")).isEqualTo("CANCELLED");
    assertThat(Leaks.tcpSockets()).as("sockets open once the transfer was cancelled").isLessThanOrEqualTo(sockets);
  }

  @Test
  void closing_a_listener_closes_its_children() throws Exception {
    String id = id();
    EngineFixture.Launched t = fx.launch(new JsonObject().put("id", id)
      .put("source", new JsonObject().put("type", "tcp").put("mode", "listen").put("host", "127.0.0.1"))
      .put("sink", digest()));
    try (Socket child = new Socket(InetAddress.getLoopbackAddress(), port(t.reply(), "source"))) {
      child.getOutputStream().write(new byte[1000]);
      JsonObject listener = awaitListenerWithChild(id);
      assertThat(listener.getString("description")).startsWith("tcp 127.0.0.1:");
      assertThat(listener.getJsonArray("children").getJsonObject(0).getString("description")).contains(" <- ");

      await(fx.engine().cancel(new JsonObject().put("id", id)));
      Throwable seen = null;
      try {
        while (child.getInputStream().read() >= 0) {
          // nothing is sent to the child; it waits for its end
        }
      } catch (SocketException e) {
        seen = e;
      }
      assertThat(seen).as("the child connection is reset when its listener closes").isNotNull();
    }
    assertThat(t.awaitFinal().getString("state")).isEqualTo("CANCELLED");
    assertThat(await(fx.engine().listeners(new JsonObject())).getJsonArray("listeners").stream()
      .map(l -> ((JsonObject) l).getString("owner"))).noneMatch(o -> o.contains(id));
  }

  /** Asks xfer.listeners until the transfer's listener shows its child: children announce themselves. */
  private JsonObject awaitListenerWithChild(String id) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      for (Object o : await(fx.engine().listeners(new JsonObject())).getJsonArray("listeners")) {
        JsonObject l = (JsonObject) o;
        if (l.getString("owner").contains(id) && !l.getJsonArray("children").isEmpty()) {
          return l;
        }
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("the listener of " + id + " never showed a child");
  }

  @Test
  void a_half_closing_sink_shuts_its_output_and_waits_for_the_peer_to_close() throws Exception {
    ServerSocket server = serverSocket();
    CompletableFuture<String> peer = CompletableFuture.supplyAsync(() -> {
      try (server; Socket s = server.accept()) {
        String got = sha256(s.getInputStream().readAllBytes()); // ends at the sink's FIN
        s.getOutputStream().write("thanks".getBytes()); // the half-closed sink can still be answered
        return got;
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    JsonObject status = fx.run(new JsonObject().put("source", random())
      .put("sink", new JsonObject().put("type", "tcp").put("host", "127.0.0.1").put("port", server.getLocalPort())
        .put("halfClose", true)));
    assertThat(status.getString("state")).isEqualTo("DONE");
    assertThat(peer.get(10, TimeUnit.SECONDS)).isEqualTo(sha);
  }
}
