package io.xfernode.engine;

import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import io.xfernode.events.HistoryReply;
import io.xfernode.events.HistoryRequest;
import io.xfernode.test.EngineFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.xfernode.test.EngineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every transfer's events are numbered from 1 without gaps and end with one {@code done}, whatever the
 * outcome (SPEC 1.2, 2.3), and the node that published them can tell them again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class FinalEventsTest {

  private EngineFixture fx;

  @BeforeAll
  void start() throws Exception {
    fx = EngineFixture.start();
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  /** Subscribes to {@code id}'s events, runs {@code action}, and returns every event up to done. */
  private List<JsonObject> follow(String id, ThrowingRunnable action) throws Exception {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    MessageConsumer<JsonObject> consumer = fx.vertx().eventBus().consumer(Addresses.events(id), m -> {
      events.add(m.body());
      if ("done".equals(m.body().getString("type"))) {
        done.complete(null);
      }
    });
    await(consumer.completion());
    try {
      action.run();
      done.get(30, TimeUnit.SECONDS);
      return events;
    } finally {
      await(consumer.unregister());
    }
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  private static void assertNumberedFromOne(List<JsonObject> events) {
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).getLong("seq")).as("seq of event %d of %s", i, events).isEqualTo(i + 1L);
    }
  }

  private static List<String> types(List<JsonObject> events) {
    return events.stream().map(e -> e.getString("type")).toList();
  }

  @Test
  void a_failed_transfer_ends_with_its_error_its_final_state_and_done() throws Exception {
    String id = "fails-" + UUID.randomUUID();
    List<JsonObject> events = follow(id, () -> fx.runAsync(new JsonObject().put("id", id)
      .put("source", "random:?length=1000")
      .put("sink", "digest:")
      .put("options", new JsonObject().put("checksum", new JsonObject().put("algorithm", "md5")
        .put("expected", "00000000000000000000000000000000")))));
    assertNumberedFromOne(events);
    assertThat(types(events).subList(events.size() - 3, events.size())).containsExactly("error", "state", "done");
    JsonObject done = events.get(events.size() - 1);
    assertThat(done.getString("state")).isEqualTo("FAILED");
    assertThat(done.getJsonObject("error").getInteger("code")).isEqualTo(422);
    assertThat(done.getLong("bytes")).isEqualTo(1000);
    JsonObject status = await(fx.engine().status(new JsonObject().put("id", id)));
    assertThat(status.getLong("eventSeq")).as("the final status names done's seq").isEqualTo(done.getLong("seq"));
  }

  @Test
  void a_cancelled_transfer_ends_with_its_final_state_and_done() throws Exception {
    String id = "cancels-" + UUID.randomUUID();
    List<JsonObject> events = follow(id, () -> {
      await(fx.submit(new JsonObject().put("id", id).put("source", "random:?length=1099511627776")
        .put("sink", "null:")));
      await(fx.engine().cancel(new JsonObject().put("id", id).put("reason", "enough")));
    });
    assertNumberedFromOne(events);
    assertThat(types(events).subList(events.size() - 2, events.size())).containsExactly("state", "done");
    assertThat(events.get(events.size() - 2).getString("state")).isEqualTo("CANCELLED");
    assertThat(events.get(events.size() - 1).getString("state")).isEqualTo("CANCELLED");
  }

  @Test
  void the_controllers_node_tells_the_events_a_subscriber_missed() throws Exception {
    String id = "history-" + UUID.randomUUID();
    List<JsonObject> events = follow(id, () -> fx.runAsync(new JsonObject().put("id", id)
      .put("source", "random:?length=100000").put("sink", "null:")));
    JsonObject reply = (JsonObject) await(fx.vertx().eventBus().request(Addresses.history(EngineFixture.NODE),
      new HistoryRequest(id, 2).toJson())).body();
    HistoryReply history = HistoryReply.fromJson(reply);
    assertThat(history.ended()).isTrue();
    assertThat(history.first()).isEqualTo(1);
    assertThat(history.events()).as("every event after seq 2, as published").isEqualTo(events.subList(2, events.size()));
  }
}
