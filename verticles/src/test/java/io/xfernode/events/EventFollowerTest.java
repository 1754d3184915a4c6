package io.xfernode.events;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import io.xfernode.test.TestVertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.xfernode.test.EngineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A follower merges the publishing node's history with the live events, in order and each once, and says
 * what nobody holds any longer. The publishing node here is a history served on the event bus.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(30)
class EventFollowerTest {

  private Vertx vertx;

  @BeforeAll
  void start() {
    vertx = Vertx.vertx(TestVertx.options());
  }

  @AfterAll
  void stop() throws Exception {
    await(vertx.close());
  }

  private static JsonObject event(String id, long seq, String type) {
    return new JsonObject().put("id", id).put("seq", seq).put("type", type);
  }

  /** A node named {@code origin} that publishes {@code id}'s events and keeps the last {@code capacity}. */
  private final class Origin implements AutoCloseable {
    final String node = "origin-" + UUID.randomUUID();
    final EventHistory history;
    final MessageConsumer<JsonObject> consumer;
    final String id;

    Origin(String id, int capacity) throws Exception {
      this.id = id;
      history = new EventHistory(vertx, capacity, 60_000, 8);
      consumer = vertx.eventBus().consumer(Addresses.history(node),
        m -> m.reply(history.after(HistoryRequest.fromJson(m.body())).toJson()));
      await(consumer.completion());
    }

    void publish(long seq, String type) {
      JsonObject e = event(id, seq, type);
      history.record(e);
      vertx.eventBus().publish(Addresses.events(id), e);
    }

    /** Kept, but never published: as if it went out before the subscriber was known to the cluster. */
    void recordOnly(long seq, String type) {
      history.record(event(id, seq, type));
    }

    Future<JsonObject> status(String state) {
      return Future.succeededFuture(new JsonObject().put("id", id).put("node", node).put("state", state));
    }

    @Override
    public void close() throws Exception {
      await(consumer.unregister());
    }
  }

  @Test
  void a_subscriber_gets_what_it_missed_then_the_live_events_up_to_done() throws Exception {
    String id = "f-" + UUID.randomUUID();
    try (Origin origin = new Origin(id, 256)) {
      for (long seq = 1; seq <= 5; seq++) {
        origin.publish(seq, "progress");
      }
      List<JsonObject> got = new CopyOnWriteArrayList<>();
      EventFollower follower = new EventFollower(vertx, id, 2, () -> origin.status("RUNNING"), got::add);
      await(follower.start());
      assertThat(got).extracting(e -> e.getLong("seq")).containsExactly(3L, 4L, 5L);
      origin.publish(6, "state");
      origin.publish(7, "done");
      await(follower.ended());
      assertThat(got).extracting(e -> e.getLong("seq")).containsExactly(3L, 4L, 5L, 6L, 7L);
      assertThat(got.get(got.size() - 1).getString("type")).isEqualTo("done");
    }
  }

  @Test
  void a_subscriber_whose_next_event_is_no_longer_held_starts_from_the_oldest_and_is_told() throws Exception {
    String id = "f-" + UUID.randomUUID();
    try (Origin origin = new Origin(id, 4)) {
      for (long seq = 1; seq <= 10; seq++) {
        origin.publish(seq, seq == 10 ? "done" : "progress");
      }
      List<JsonObject> got = new CopyOnWriteArrayList<>();
      EventFollower follower = new EventFollower(vertx, id, 3, () -> origin.status("DONE"), got::add);
      await(follower.start());
      await(follower.ended());
      JsonObject notice = got.get(0);
      assertThat(notice.getString("type")).isEqualTo("info");
      assertThat(notice.containsKey("seq")).as("a notice is no event of the transfer").isFalse();
      assertThat(notice.getJsonObject("info").getJsonObject("missed"))
        .isEqualTo(new JsonObject().put("after", 3L).put("before", 7L));
      assertThat(got.subList(1, got.size())).extracting(e -> e.getLong("seq")).containsExactly(7L, 8L, 9L, 10L);
    }
  }

  @Test
  void an_event_that_went_by_unseen_is_fetched_when_the_next_one_shows_the_gap() throws Exception {
    String id = "f-" + UUID.randomUUID();
    try (Origin origin = new Origin(id, 256)) {
      origin.publish(1, "state");
      List<JsonObject> got = new CopyOnWriteArrayList<>();
      EventFollower follower = new EventFollower(vertx, id, 0, () -> origin.status("RUNNING"), got::add);
      await(follower.start());
      origin.recordOnly(2, "info");
      origin.recordOnly(3, "state");
      origin.publish(4, "done");
      await(follower.ended());
      assertThat(got).extracting(e -> e.getLong("seq")).containsExactly(1L, 2L, 3L, 4L);
    }
  }

  @Test
  void done_that_went_by_unseen_is_found_by_a_check() throws Exception {
    String id = "f-" + UUID.randomUUID();
    try (Origin origin = new Origin(id, 256)) {
      origin.publish(1, "state");
      List<JsonObject> got = new CopyOnWriteArrayList<>();
      EventFollower follower = new EventFollower(vertx, id, 0, () -> origin.status("RUNNING"), got::add);
      await(follower.start());
      origin.recordOnly(2, "done");
      vertx.runOnContext(v -> follower.check());
      await(follower.ended());
      assertThat(got).extracting(e -> e.getString("type")).containsExactly("state", "done");
    }
  }

  @Test
  void a_transfer_whose_history_is_gone_gets_a_notice_and_done_from_its_final_status() throws Exception {
    String id = "f-" + UUID.randomUUID();
    try (Origin origin = new Origin(id, 256)) {
      JsonObject status = new JsonObject().put("id", id).put("node", origin.node).put("state", "FAILED")
        .put("bytes", 10L).put("bytesOut", 4L).put("eventSeq", 9L).put("startedAt", "2026-01-01T00:00:00Z")
        .put("endedAt", "2026-01-01T00:00:02Z").put("error", new JsonObject().put("code", 422));
      List<JsonObject> got = new CopyOnWriteArrayList<>();
      EventFollower follower = new EventFollower(vertx, id, 0, () -> Future.succeededFuture(status), got::add);
      await(follower.start());
      await(follower.ended());
      assertThat(got).extracting(e -> e.getString("type")).containsExactly("info", "done");
      JsonObject done = got.get(1);
      assertThat(done.getLong("seq")).isEqualTo(9L);
      assertThat(done.getString("state")).isEqualTo("FAILED");
      assertThat(done.getLong("bytesOut")).isEqualTo(4L);
      assertThat(done.getLong("durationMs")).isEqualTo(2000L);
      assertThat(done.getJsonObject("error").getInteger("code")).isEqualTo(422);
    }
  }
}
