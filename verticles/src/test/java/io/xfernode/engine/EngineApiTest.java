package io.xfernode.engine;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import io.xfernode.source.RandomBytes;
import io.xfernode.test.EngineFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.xfernode.test.EngineFixture.await;
import static io.xfernode.test.EngineFixture.failureCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The control API of one engine: ids, statuses, lists, events, options and refusals. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class EngineApiTest {

  private EngineFixture fx;

  @BeforeAll
  void start() throws Exception {
    fx = EngineFixture.start();
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  static JsonObject randomToDigest(long length) {
    return new JsonObject()
      .put("source", new JsonObject().put("type", "random").put("seed", 3).put("length", length))
      .put("sink", new JsonObject().put("type", "digest"));
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void a_client_chosen_id_is_unique() throws Exception {
    String id = "unique-" + UUID.randomUUID();
    fx.run(randomToDigest(1000).put("id", id));
    assertThat(failureCode(fx.submit(randomToDigest(1000).put("id", id)))).isEqualTo(409);
    assertThatThrownBy(() -> await(fx.submit(randomToDigest(1000).put("id", id))))
      .hasMessage("id: a transfer \"" + id + "\" already exists");
  }

  @Test
  void the_status_of_a_finished_transfer_is_complete() throws Exception {
    JsonObject status = fx.run(randomToDigest(5000));
    assertThat(status.getString("state")).isEqualTo("DONE");
    assertThat(status.getLong("bytes")).isEqualTo(5000);
    assertThat(status.getLong("total")).isEqualTo(5000);
    assertThat(status.getString("node")).isEqualTo(EngineFixture.NODE);
    assertThat(status.getString("startedAt")).isNotBlank();
    assertThat(status.getString("endedAt")).isNotBlank();
    assertThat(status.getJsonObject("plan").getJsonArray("elements")).isNotEmpty();
    assertThat(status.getJsonObject("checksum").getString("value")).isEqualTo(sha256(RandomBytes.bytes(3, 5000)));
  }

  @Test
  void the_checksum_option_records_the_value_in_the_status() throws Exception {
    int length = 2 * 1024 * 1024 + 17;
    JsonObject status = fx.run(new JsonObject()
      .put("source", new JsonObject().put("type", "random").put("seed", 11).put("length", length))
      .put("sink", new JsonObject().put("type", "null"))
      .put("options", new JsonObject().put("checksum", "sha256")));
    assertThat(status.getString("state")).isEqualTo("DONE");
    assertThat(status.getJsonObject("checksum").getString("algorithm")).isEqualTo("sha256");
    assertThat(status.getJsonObject("checksum").getString("value")).isEqualTo(sha256(RandomBytes.bytes(11, length)));
  }

  @Test
  void an_expected_checksum_that_differs_fails_the_transfer_with_422() throws Exception {
    JsonObject status = fx.run(randomToDigest(4096).put("options", new JsonObject()
      .put("checksum", new JsonObject().put("algorithm", "crc32c").put("expected", "deadbeef"))));
    assertThat(status.getString("state")).isEqualTo("FAILED");
    assertThat(status.getJsonObject("error").getInteger("code")).isEqualTo(422);
    assertThat(status.getJsonObject("error").getString("message")).startsWith("options.checksum.expected: ");
  }

  @Test
  void a_timeout_shorter_than_the_transfer_fails_it_with_504() throws Exception {
    JsonObject status = fx.run(new JsonObject()
      .put("source", new JsonObject().put("type", "random").put("length", 1L << 40))
      .put("sink", new JsonObject().put("type", "null"))
      .put("options", new JsonObject().put("timeout", "PT0.3S")));
    assertThat(status.getString("state")).isEqualTo("FAILED");
    assertThat(status.getJsonObject("error").getInteger("code")).isEqualTo(504);
    assertThat(status.getJsonObject("error").getString("message")).startsWith("options.timeout: ");
  }

  @Test
  void events_arrive_in_order_with_progress_at_most_every_250_ms() throws Exception {
    String id = "events-" + UUID.randomUUID();
    List<JsonObject> events = new ArrayList<>();
    List<JsonObject> dashboard = new ArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    CompletableFuture<Void> dashboardDone = new CompletableFuture<>();
    var own = fx.vertx().eventBus().<JsonObject>consumer(Addresses.events(id), m -> {
      synchronized (events) {
        events.add(m.body());
      }
      if ("done".equals(m.body().getString("type"))) {
        done.complete(null);
      }
    });
    var all = fx.vertx().eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> {
      if (id.equals(m.body().getString("id"))) {
        synchronized (dashboard) {
          dashboard.add(m.body());
        }
        if ("done".equals(m.body().getString("type"))) {
          dashboardDone.complete(null);
        }
      }
    });
    await(own.completion());
    await(all.completion());
    fx.submit(new JsonObject().put("id", id)
      .put("source", new JsonObject().put("type", "random").put("length", 512L << 20))
      .put("sink", new JsonObject().put("type", "null")));
    try {
      done.get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      synchronized (events) {
        throw new AssertionError("no final state; events: " + events + "; status: "
          + await(fx.engine().status(new JsonObject().put("id", id))).encode(), e);
      }
    }
    dashboardDone.get(10, TimeUnit.SECONDS);
    await(own.unregister());
    await(all.unregister());

    synchronized (events) {
      for (int i = 0; i < events.size(); i++) {
        assertThat(events.get(i).getLong("seq")).as("seq of event %d", i).isEqualTo(i + 1L);
        assertThat(events.get(i).getString("id")).isEqualTo(id);
      }
      List<String> states = events.stream().filter(e -> "state".equals(e.getString("type")))
        .map(e -> e.getString("state")).toList();
      assertThat(states).containsExactly("SETUP", "RUNNING", "DONE");
      List<Long> progressAt = events.stream().filter(e -> "progress".equals(e.getString("type")))
        .map(e -> java.time.Instant.parse(e.getString("at")).toEpochMilli()).toList();
      for (int i = 1; i < progressAt.size(); i++) {
        assertThat(progressAt.get(i) - progressAt.get(i - 1)).as("ms between progress events").isGreaterThanOrEqualTo(249);
      }
      // the final state, then done, which is the last event: a subscriber may stop there
      JsonObject finalState = events.get(events.size() - 2);
      assertThat(finalState.getString("type")).isEqualTo("state");
      assertThat(finalState.getString("state")).isEqualTo("DONE");
      JsonObject doneEvent = events.get(events.size() - 1);
      assertThat(doneEvent.getString("type")).isEqualTo("done");
      assertThat(doneEvent.getString("state")).isEqualTo("DONE");
      assertThat(doneEvent.getLong("bytes")).isEqualTo(512L << 20);
      assertThat(doneEvent.getLong("bytesOut")).isEqualTo(512L << 20);
      assertThat(doneEvent.getLong("durationMs")).isPositive();
    }
    synchronized (dashboard) {
      assertThat(dashboard).as("xfer.events carries no progress").noneMatch(e -> "progress".equals(e.getString("type")));
      assertThat(dashboard).anyMatch(e -> "done".equals(e.getString("type")));
    }
  }

  @Test
  void list_filters_by_state_and_limits() throws Exception {
    fx.run(randomToDigest(10));
    fx.run(randomToDigest(10).put("options", new JsonObject().put("checksum", new JsonObject()
      .put("algorithm", "md5").put("expected", "00000000000000000000000000000000"))));
    JsonArray done = await(fx.engine().list(new JsonObject().put("state", "DONE"))).getJsonArray("transfers");
    assertThat(done).isNotEmpty().allMatch(s -> "DONE".equals(((JsonObject) s).getString("state")));
    JsonArray failed = await(fx.engine().list(new JsonObject().put("state", "failed"))).getJsonArray("transfers");
    assertThat(failed).isNotEmpty().allMatch(s -> "FAILED".equals(((JsonObject) s).getString("state")));
    assertThat(await(fx.engine().list(new JsonObject().put("limit", 1))).getJsonArray("transfers")).hasSize(1);
    assertThat(failureCode(fx.engine().list(new JsonObject().put("state", "SLEEPING")))).isEqualTo(400);
    assertThat(failureCode(fx.engine().list(new JsonObject().put("limit", 0)))).isEqualTo(400);
  }

  @Test
  void cancelling_a_finished_transfer_returns_its_final_status() throws Exception {
    JsonObject status = fx.run(randomToDigest(10));
    JsonObject after = await(fx.engine().cancel(new JsonObject().put("id", status.getString("id"))));
    assertThat(after.getString("state")).isEqualTo("DONE");
  }

  @Test
  void unknown_ids_are_404() throws Exception {
    assertThat(failureCode(fx.engine().status(new JsonObject().put("id", "nope")))).isEqualTo(404);
    assertThat(failureCode(fx.engine().cancel(new JsonObject().put("id", "nope")))).isEqualTo(404);
    assertThat(failureCode(fx.engine().status(new JsonObject()))).isEqualTo(400);
  }

  @Test
  void plan_runs_nothing() throws Exception {
    JsonObject reply = await(fx.engine().plan(randomToDigest(10).put("id", "planned-only")));
    assertThat(reply.getJsonObject("plan").getJsonArray("explain")).isNotEmpty();
    assertThat(failureCode(fx.engine().status(new JsonObject().put("id", "planned-only")))).isEqualTo(404);
  }
}
