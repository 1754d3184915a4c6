package io.xfernode.node.http;

import io.vertx.core.json.JsonObject;
import io.xfernode.node.TestCluster;
import io.xfernode.source.RandomBytes;
import io.xfernode.test.LogWatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SockJS bridge's frame limits, set from {@code limits.maxRequestBytes} (64 KiB here), over the raw
 * WebSocket transport: a frame above the limit gets an err frame that names it and the socket goes on; a
 * message beyond what the WebSocket takes closes the socket with 1009; neither, nor a client that closes or
 * drops its socket, logs an error or a stack trace. The eventbus source offers a chunk size whose frames fit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class SockJsFrameLimitTest {

  static final int LIMIT = 64 * 1024;

  private TestCluster cluster;
  private HttpClient http;

  @BeforeAll
  void start() throws Exception {
    cluster = TestCluster.start("sockjs-limits", 1, flags -> flags.put("limits",
      new JsonObject().put("maxRequestBytes", LIMIT)));
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private SockJsClient connect() throws Exception {
    return new SockJsClient(http, cluster.node(0).httpPort());
  }

  private static JsonObject send(String address, String replyAddress, JsonObject body) {
    return new JsonObject().put("type", "send").put("address", address).put("replyAddress", replyAddress)
      .put("body", body);
  }

  @Test
  void a_frame_above_max_request_bytes_is_answered_with_an_err_frame_that_names_the_limit() throws Exception {
    try (LogWatch logs = LogWatch.watch(); SockJsClient client = connect()) {
      JsonObject big = send("xfer.nodes", "r-big", new JsonObject().put("pad", "x".repeat(LIMIT + 10)));
      client.send(big);
      JsonObject err = client.next();
      assertThat(err.getString("type")).as("answer to %d bytes: %s", big.encode().length(), err).isEqualTo("err");
      assertThat(err.getString("address")).as("the frame's reply address").isEqualTo("r-big");
      assertThat(err.getInteger("failureCode")).isEqualTo(400);
      assertThat(err.getString("message")).isEqualTo("frame: larger than limits.maxRequestBytes (65536 bytes)");

      JsonObject after = client.request("xfer.nodes", new JsonObject(), null);
      assertThat(after.getJsonObject("body").getJsonArray("nodes")).as("the socket goes on").hasSize(1);
      assertThat(logs.errorsAndStackTraces()).as("logged at ERROR or with a stack trace").isEmpty();
    }
  }

  @Test
  void a_message_beyond_the_websocket_limit_closes_the_socket_with_1009_and_no_stack_trace() throws Exception {
    try (LogWatch logs = LogWatch.watch(); SockJsClient client = connect()) {
      int beyond = HttpApi.transportLimit(LIMIT) + 1024;
      client.send(send("xfer.nodes", "r-huge", new JsonObject().put("pad", "y".repeat(beyond))));
      String closed = client.awaitClose();
      assertThat(closed).startsWith("1009 ").contains("WebSocket limit (" + HttpApi.transportLimit(LIMIT) + " bytes");
      assertThat(logs.errorsAndStackTraces()).as("logged at ERROR or with a stack trace").isEmpty();
      assertThat(logs.messages()).as("one warning names the client").anyMatch(m -> m.startsWith("sockjs: closing"));
    }
  }

  @Test
  void a_client_that_closes_or_drops_its_socket_logs_nothing_at_error() throws Exception {
    try (LogWatch logs = LogWatch.watch()) {
      SockJsClient polite = connect();
      assertThat(polite.request("xfer.nodes", new JsonObject(), null).getString("type")).isNotEqualTo("err");
      polite.close();
      assertThat(polite.awaitClose()).as("the node's side of the close handshake").startsWith("1000");

      SockJsClient rude = connect();
      assertThat(rude.request("xfer.nodes", new JsonObject(), null).getString("type")).isNotEqualTo("err");
      rude.abort();
      // a round trip on a new socket: the node has handled the other two by now
      try (SockJsClient third = connect()) {
        assertThat(third.request("xfer.nodes", new JsonObject(), null).getString("type")).isNotEqualTo("err");
      }
      assertThat(logs.errorsAndStackTraces()).as("logged at ERROR or with a stack trace").isEmpty();
    }
  }

  @Test
  void the_eventbus_source_offers_a_chunk_size_whose_frames_fit_and_every_byte_arrives() throws Exception {
    byte[] data = RandomBytes.bytes(31, 1024 * 1024 + 77);
    String id = "fit-" + UUID.randomUUID();
    try (SockJsClient client = connect()) {
      JsonObject submitted = client.request("xfer.submit", new JsonObject().put("id", id)
        .put("source", new JsonObject().put("type", "eventbus"))
        .put("sink", "file://n0/data/" + id + ".bin").put("options", new JsonObject().put("checksum", "sha256")), null);
      JsonObject endpoint = submitted.getJsonObject("body").getJsonObject("endpoints").getJsonObject("source")
        .getJsonObject("address");
      String address = endpoint.getString("address");
      int chunk = endpoint.getInteger("chunkSize");
      assertThat(chunk).as("advertised chunk size").isPositive().isLessThan(LIMIT);

      JsonObject open = client.request(address, new JsonObject().put("op", "open"), null).getJsonObject("body");
      assertThat(open.getInteger("chunkSize")).isEqualTo(chunk);
      long credits = open.getInteger("credits");
      ArrayDeque<String> waiting = new ArrayDeque<>();
      long seq = 0;
      for (int off = 0; off < data.length; off += chunk) {
        while (credits == 0) {
          credits += awaitReply(client, waiting).getInteger("credits");
        }
        byte[] part = java.util.Arrays.copyOfRange(data, off, Math.min(data.length, off + chunk));
        String reply = "c-" + seq;
        JsonObject frame = send(address, reply, new JsonObject().put("op", "data").put("seq", seq++)
          .put("data", Base64.getEncoder().encodeToString(part)));
        assertThat(frame.encode().length()).as("a full chunk's frame").isLessThanOrEqualTo(LIMIT);
        client.send(frame);
        waiting.add(reply);
        credits--;
      }
      while (!waiting.isEmpty()) {
        awaitReply(client, waiting);
      }
      JsonObject end = client.request(address, new JsonObject().put("op", "end"), null);
      assertThat(end.getJsonObject("body").getLong("bytes")).isEqualTo(data.length);
      JsonObject status = awaitFinal(client, id);
      assertThat(status.getString("state")).as("%s", status).isEqualTo("DONE");
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
      assertThat(status.getJsonObject("checksum").getString("value")).isEqualTo(sha);
      assertThat(Files.readAllBytes(cluster.root(0).resolve(id + ".bin"))).isEqualTo(data);
    }
  }

  @Test
  void a_chunk_size_that_cannot_fit_a_frame_is_refused_naming_the_field() throws Exception {
    try (SockJsClient client = connect()) {
      JsonObject refused = client.request("xfer.submit", new JsonObject()
        .put("source", new JsonObject().put("type", "eventbus").put("chunkSize", 60_000)).put("sink", "null:"), null);
      assertThat(refused.getString("type")).isEqualTo("err");
      assertThat(refused.getInteger("failureCode")).isEqualTo(400);
      assertThat(refused.getString("message")).startsWith("source.chunkSize: 60000 bytes do not fit one bridge frame")
        .contains("limits.maxRequestBytes (65536 bytes) allows at most 46080");
    }
  }

  /** The reply to the oldest chunk still waiting; the bridge answers in order. */
  private static JsonObject awaitReply(SockJsClient client, ArrayDeque<String> waiting) throws Exception {
    JsonObject frame = client.next();
    assertThat(frame.getString("type")).as("reply %s", frame).isNotEqualTo("err");
    assertThat(waiting.remove(frame.getString("address"))).as("a reply to a chunk: %s", frame).isTrue();
    return frame.getJsonObject("body");
  }

  private static JsonObject awaitFinal(SockJsClient client, String id) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (true) {
      JsonObject status = client.request("xfer.status", new JsonObject().put("id", id), null).getJsonObject("body");
      String state = status.getString("state");
      if (state.equals("DONE") || state.equals("FAILED") || state.equals("CANCELLED") || System.nanoTime() > deadline) {
        return status;
      }
      Thread.onSpinWait();
    }
  }
}
