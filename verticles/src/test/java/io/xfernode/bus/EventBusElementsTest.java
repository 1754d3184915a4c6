package io.xfernode.bus;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.xfernode.source.RandomBytes;
import io.xfernode.test.EngineFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.xfernode.test.EngineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The eventbus source and sink with a client that follows the credit protocol, and one that does not. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class EventBusElementsTest {

  static final int LENGTH = 3 * 1024 * 1024 + 99;

  private EngineFixture fx;
  private byte[] data;

  @BeforeAll
  void start() throws Exception {
    fx = EngineFixture.start();
    data = RandomBytes.bytes(12, LENGTH);
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private JsonObject request(String address, JsonObject body) throws Exception {
    return (JsonObject) await(fx.vertx().eventBus().request(address, body)).body();
  }

  @Test
  void a_client_uploads_chunks_within_its_credits_and_every_byte_arrives() throws Exception {
    EngineFixture.Launched t = fx.launch(new JsonObject().put("id", "up-" + UUID.randomUUID())
      .put("source", new JsonObject().put("type", "eventbus")).put("sink", new JsonObject().put("type", "digest")));
    String address = t.reply().getJsonObject("endpoints").getJsonObject("source").getJsonObject("address")
      .getString("address");
    JsonObject open = request(address, new JsonObject().put("op", "open"));
    int chunk = open.getInteger("chunkSize");
    long credits = open.getInteger("credits");
    // one request per chunk; a reply grants the next credit, so never more are in flight than granted
    EventBus bus = fx.vertx().eventBus();
    java.util.List<CompletableFuture<Object>> inFlight = new java.util.ArrayList<>();
    long seq = 0;
    for (int off = 0; off < LENGTH; off += chunk) {
      while (credits == 0) {
        JsonObject reply = (JsonObject) inFlight.remove(0).get(10, TimeUnit.SECONDS);
        credits += reply.getInteger("credits");
      }
      byte[] part = java.util.Arrays.copyOfRange(data, off, Math.min(LENGTH, off + chunk));
      inFlight.add(bus.request(address, new JsonObject().put("op", "data").put("seq", seq++)
        .put("data", Base64.getEncoder().encodeToString(part))).map(m -> m.body()).toCompletionStage().toCompletableFuture());
      credits--;
    }
    for (CompletableFuture<Object> f : inFlight) {
      f.get(10, TimeUnit.SECONDS);
    }
    assertThat(request(address, new JsonObject().put("op", "end")).getLong("bytes")).isEqualTo(LENGTH);
    JsonObject status = t.awaitFinal();
    assertThat(status.getString("state")).as("%s", status.getJsonObject("error")).isEqualTo("DONE");
    assertThat(status.getJsonObject("checksum").getString("value")).isEqualTo(sha256(data));
  }

  @Test
  void a_client_that_sends_beyond_its_credits_fails_the_transfer() throws Exception {
    EngineFixture.Launched t = fx.launch(new JsonObject().put("id", "greedy-" + UUID.randomUUID())
      .put("source", new JsonObject().put("type", "eventbus")).put("sink", new JsonObject().put("type", "null")));
    String address = t.reply().getJsonObject("endpoints").getJsonObject("source").getJsonObject("address")
      .getString("address");
    request(address, new JsonObject().put("op", "open"));
    assertThatThrownBy(() -> request(address, new JsonObject().put("op", "data").put("seq", 5).put("data", "AA==")))
      .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(400))
      .hasMessageContaining("seq: expected 0");
    JsonObject status = t.awaitFinal();
    assertThat(status.getString("state")).isEqualTo("FAILED");
    assertThat(status.getJsonObject("error").getInteger("code")).isEqualTo(400);
  }

  @Test
  void the_sink_never_sends_more_chunks_than_the_client_granted() throws Exception {
    String mine = "xfer.client.test-" + UUID.randomUUID();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    AtomicLong received = new AtomicLong();
    AtomicLong granted = new AtomicLong();
    AtomicLong excess = new AtomicLong();
    CompletableFuture<Long> ended = new CompletableFuture<>();
    String[] control = new String[1];
    var consumer = fx.vertx().eventBus().<JsonObject>consumer(mine, m -> {
      JsonObject b = m.body();
      if ("data".equals(b.getString("op"))) {
        synchronized (got) {
          got.writeBytes(Base64.getDecoder().decode(b.getString("data")));
        }
        if (received.incrementAndGet() > granted.get()) {
          excess.incrementAndGet();
        }
        if (received.get() % 8 == 0) {
          granted.addAndGet(8);
          fx.vertx().eventBus().send(control[0], new JsonObject().put("op", "credit").put("n", 8));
        }
      } else if ("end".equals(b.getString("op"))) {
        ended.complete(b.getLong("bytes"));
      }
    });
    await(consumer.completion());
    EngineFixture.Launched t = fx.launch(new JsonObject().put("id", "down-" + UUID.randomUUID())
      .put("source", new JsonObject().put("type", "random").put("seed", 12).put("length", LENGTH))
      .put("sink", new JsonObject().put("type", "eventbus").put("address", mine).put("chunkSize", 100_000)));
    control[0] = t.reply().getJsonObject("endpoints").getJsonObject("sink").getJsonObject("address").getString("address");
    granted.set(8);
    request(control[0], new JsonObject().put("op", "credit").put("n", 8));
    assertThat(ended.get(30, TimeUnit.SECONDS)).isEqualTo(LENGTH);
    assertThat(t.awaitFinal().getString("state")).isEqualTo("DONE");
    await(consumer.unregister());
    assertThat(excess.get()).as("chunks received beyond the credits granted").isZero();
    assertThat(sha256(got.toByteArray())).isEqualTo(sha256(data));
  }

  @Test
  void a_sink_address_outside_xfer_client_is_refused() throws Exception {
    assertThat(EngineFixture.failureCode(fx.submit(new JsonObject().put("source", "random:?length=1")
      .put("sink", new JsonObject().put("type", "eventbus").put("address", "xfer.submit"))))).isEqualTo(400);
  }
}
