package io.xfernode.engine;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.XferException;
import io.xfernode.element.ElementRegistry;
import io.xfernode.test.EngineFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.xfernode.test.EngineFixture.await;
import static io.xfernode.test.EngineFixture.failureCode;
import static org.assertj.core.api.Assertions.assertThat;

/** Admission: limits.maxTransfers holds under a burst, and a refused submit leaves its id free. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class AdmissionTest {

  static final int MAX = 8;

  private EngineFixture fx;

  @BeforeAll
  void start() throws Exception {
    fx = EngineFixture.start(ElementRegistry.load(), List.of(), 64L << 20, MAX);
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  /** A transfer that runs until cancelled. */
  static JsonObject endless(String id) {
    return new JsonObject().put("id", id)
      .put("source", new JsonObject().put("type", "pattern").put("length", 1L << 50))
      .put("options", new JsonObject().put("rateLimit", 1024))
      .put("sink", new JsonObject().put("type", "null"));
  }

  @Test
  void a_burst_of_submits_never_runs_more_than_max_transfers() throws Exception {
    String prefix = "burst-" + UUID.randomUUID() + "-";
    List<Future<JsonObject>> submits = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      submits.add(fx.submit(endless(prefix + i)));
    }
    await(Future.join(submits).otherwiseEmpty());
    List<String> running = new ArrayList<>();
    int refused = 0;
    for (int i = 0; i < submits.size(); i++) {
      Future<JsonObject> f = submits.get(i);
      if (f.succeeded()) {
        running.add(prefix + i);
      } else {
        assertThat(XferException.from(f.cause()).code()).as("refusal of submit %d: %s", i, f.cause().getMessage())
          .isEqualTo(429);
        refused++;
      }
    }
    assertThat(running).as("transfers running after a burst of 50 with limits.maxTransfers " + MAX).hasSize(MAX);
    assertThat(refused).isEqualTo(50 - MAX);
    assertThat(fx.engine().activeTransfers()).isEqualTo(MAX);
    for (String id : running) {
      assertThat(await(fx.engine().cancel(new JsonObject().put("id", id))).getString("state")).isEqualTo("CANCELLED");
    }
    assertThat(fx.engine().activeTransfers()).isZero();
    // every place is free again
    assertThat(await(fx.submit(endless(prefix + "after"))).getString("state")).isEqualTo("RUNNING");
    await(fx.engine().cancel(new JsonObject().put("id", prefix + "after")));
  }

  @Test
  void a_submit_refused_at_setup_frees_its_id_for_a_corrected_one() throws Exception {
    String id = "refused-" + UUID.randomUUID();
    Files.writeString(fx.path("exists.txt"), "already here");
    JsonObject spec = new JsonObject().put("id", id)
      .put("source", new JsonObject().put("type", "pattern").put("length", 1000))
      .put("sink", new JsonObject().put("type", "file").put("path", "data/exists.txt"));
    assertThat(failureCode(fx.submit(spec))).as("a destination that exists").isEqualTo(409);
    JsonObject refused = await(fx.engine().status(new JsonObject().put("id", id)));
    assertThat(refused.getString("state")).isEqualTo("FAILED");
    assertThat(refused.getValue("runningAt")).as("a refused transfer never ran").isNull();

    spec.getJsonObject("sink").put("overwrite", true);
    JsonObject done = fx.run(spec);
    assertThat(done.getString("state")).as("the same id, corrected").isEqualTo("DONE");
    assertThat(Files.size(fx.path("exists.txt"))).isEqualTo(1000);
    // a transfer that ran keeps its id
    assertThat(failureCode(fx.submit(spec))).isEqualTo(409);
  }

  @Test
  void a_status_read_from_the_engine_is_a_copy_that_the_reader_may_change() throws Exception {
    String id = "snapshot-" + UUID.randomUUID();
    await(fx.submit(endless(id)));
    JsonObject first = await(fx.engine().status(new JsonObject().put("id", id)));
    first.put("state", "MESSED-UP");
    first.getJsonObject("plan").put("elements", "gone");
    JsonObject second = await(fx.engine().status(new JsonObject().put("id", id)));
    assertThat(second.getString("state")).isEqualTo("RUNNING");
    assertThat(second.getJsonObject("plan").getJsonArray("elements")).isNotEmpty();
    await(fx.engine().cancel(new JsonObject().put("id", id)));
  }
}
