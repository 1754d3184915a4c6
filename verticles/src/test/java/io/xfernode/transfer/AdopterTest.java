package io.xfernode.transfer;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import io.xfernode.element.Cost;
import io.xfernode.element.Mechanism;
import io.xfernode.element.Role;
import io.xfernode.plan.Plan;
import io.xfernode.plan.Step;
import io.xfernode.transfer.msg.Setup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A survivor ends the transfers of a controller that left even when the cluster lost their status too (two
 * nodes gone before the map's backups caught up): the one that puts a status back first publishes the
 * error and the final state; the others see it there and do nothing.
 */
class AdopterTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void a_transfer_whose_status_was_lost_with_its_controller_still_ends_failed_once() throws Exception {
    StatusStore store = await(StatusStore.open(vertx, 60_000));
    String id = "lost-status";
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> ended = new CompletableFuture<>();
    await(vertx.eventBus().<JsonObject>consumer(Addresses.events(id), m -> {
      events.add(m.body());
      if ("done".equals(m.body().getString("type"))) {
        ended.complete(null);
      }
    }).completion());
    Plan plan = new Plan(List.of(
      new Step(0, "source", Step.ELEMENT, Role.SOURCE, "random", "a", null, Mechanism.PUSH, Cost.of(1, 0),
        new JsonObject().put("length", 10), "random"),
      new Step(1, "sink", Step.ELEMENT, Role.SINK, "null", "b", Mechanism.PUSH, null, Cost.FREE, new JsonObject(),
        "null")), Cost.of(1, 0), 1, List.of());
    Setup setup = new Setup(id, "a", plan, "00".repeat(16), true, false);

    await(new Adopter(vertx, "b", store, new io.xfernode.events.EventHistory(vertx)).nodeLeft("a", List.of(setup)));
    await(new Adopter(vertx, "c", store, new io.xfernode.events.EventHistory(vertx)).nodeLeft("a", List.of(setup)));

    JsonObject status = await(store.get(id));
    assertThat(status.getString("state")).isEqualTo("FAILED");
    assertThat(status.getString("adoptedBy")).isEqualTo("b");
    assertThat(status.getJsonObject("error").getInteger("code")).isEqualTo(503);
    assertThat(status.getJsonObject("plan").getJsonArray("nodes")).containsExactly("a", "b");
    ended.get(10, TimeUnit.SECONDS);
    // the seq the lost controller reached is unknown: the adopter jumps past it, and says so first
    assertThat(events).extracting(e -> e.getString("type")).containsExactly("info", "error", "state", "done");
    JsonObject missed = events.get(0).getJsonObject("info").getJsonObject("missed");
    assertThat(missed.getLong("after")).isZero();
    assertThat(missed.getLong("before")).isEqualTo(Adopter.LOST_SEQ + 1);
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).getLong("seq")).as("seq of event %d", i).isEqualTo(Adopter.LOST_SEQ + 1 + i);
    }
    assertThat(events.get(2).getString("state")).isEqualTo("FAILED");
    assertThat(events.get(3).getString("state")).isEqualTo("FAILED");
    assertThat(events.get(3).getJsonObject("error").getInteger("code")).isEqualTo(503);
    assertThat(status.getLong("eventSeq")).as("the final status names the last event").isEqualTo(Adopter.LOST_SEQ + 4);
  }
}
