package io.xfernode.events;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.XferException;
import io.xfernode.test.TestVertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.xfernode.test.EngineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bounded history of a node's transfers' events, and its messages. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(30)
class EventHistoryTest {

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

  @Test
  void it_keeps_the_last_events_of_each_transfer_and_says_which_is_the_oldest() {
    EventHistory history = new EventHistory(vertx, 4, 60_000, 8);
    for (long seq = 1; seq <= 10; seq++) {
      history.record(event("a", seq, "progress"));
    }
    history.record(event("b", 1, "state"));
    HistoryReply a = history.after(new HistoryRequest("a", 2));
    assertThat(a.known()).isTrue();
    assertThat(a.first()).as("the oldest held").isEqualTo(7);
    assertThat(a.last()).isEqualTo(10);
    assertThat(a.ended()).isFalse();
    assertThat(a.events()).extracting(e -> e.getLong("seq")).containsExactly(7L, 8L, 9L, 10L);
    assertThat(history.after(new HistoryRequest("a", 9)).events()).extracting(e -> e.getLong("seq"))
      .containsExactly(10L);
    assertThat(history.after(new HistoryRequest("b", 0)).events()).hasSize(1);
    assertThat(history.after(new HistoryRequest("c", 0)).known()).isFalse();
  }

  @Test
  void an_ended_history_goes_after_its_retention_and_the_oldest_goes_first_when_too_many_ended() throws Exception {
    EventHistory history = new EventHistory(vertx, 4, 300, 2);
    for (String id : List.of("x", "y", "z")) {
      history.record(event(id, 1, "done"));
    }
    history.ended("x");
    history.ended("y");
    assertThat(history.after(new HistoryRequest("x", 0)).ended()).isTrue();
    history.ended("z");
    assertThat(history.after(new HistoryRequest("x", 0)).known()).as("the oldest of three ended, over two").isFalse();
    assertThat(history.after(new HistoryRequest("y", 0)).known()).isTrue();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (history.size() > 0) {
      assertThat(System.nanoTime()).as("histories still held after their retention").isLessThan(deadline);
      Promise<Void> tick = Promise.promise();
      vertx.setTimer(20, t -> tick.complete());
      await(tick.future());
    }
  }

  @Test
  void its_messages_carry_a_version_and_survive_json() {
    HistoryRequest request = new HistoryRequest("t", 5);
    assertThat(HistoryRequest.fromJson(request.toJson())).isEqualTo(request);
    HistoryReply reply = new HistoryReply("t", true, 3, 4, true, List.of(event("t", 4, "done")));
    assertThat(HistoryReply.fromJson(reply.toJson())).isEqualTo(reply);
    assertThatThrownBy(() -> HistoryRequest.fromJson(request.toJson().put("v", 99)))
      .isInstanceOf(XferException.class).hasMessageContaining("version 99");
    assertThatThrownBy(() -> HistoryRequest.fromJson(request.toJson().put("after", -1)))
      .isInstanceOf(XferException.class).hasMessageContaining("after");
  }
}
