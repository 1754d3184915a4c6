package io.xfernode.engine;

import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import io.xfernode.element.Cost;
import io.xfernode.element.Mechanism;
import io.xfernode.element.Role;
import io.xfernode.plan.Plan;
import io.xfernode.plan.Step;
import io.xfernode.test.EngineFixture;
import io.xfernode.test.Leaks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.xfernode.test.EngineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Cancel mid-transfer: prompt, final once, and everything given back. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class CancelTest {

  private EngineFixture fx;

  @BeforeAll
  void start() throws Exception {
    fx = EngineFixture.start();
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  /** random → null over PULL, so that the sink runs a thread of its own that cancel must stop. */
  static Plan pulling(long length) {
    return new Plan(List.of(
      new Step(0, "source", Step.ELEMENT, Role.SOURCE, "random", EngineFixture.NODE, null, Mechanism.PULL,
        Cost.of(1, 0), new JsonObject().put("seed", 1).put("length", length), "random"),
      new Step(1, "sink", Step.ELEMENT, Role.SINK, "null", EngineFixture.NODE, Mechanism.PULL, null,
        Cost.of(0, 1), new JsonObject(), "null")), Cost.of(1, 1), 1, List.of());
  }

  /** Submits, waits for the first progress event, cancels; returns the status the cancel replied with. */
  private JsonObject cancelMidway(String id, Runnable submit, List<String> statesSeen) throws Exception {
    CompletableFuture<Void> progressing = new CompletableFuture<>();
    CompletableFuture<Void> ended = new CompletableFuture<>();
    var events = fx.vertx().eventBus().<JsonObject>consumer(Addresses.events(id), m -> {
      if ("done".equals(m.body().getString("type"))) {
        ended.complete(null);
      }
      if ("progress".equals(m.body().getString("type"))) {
        progressing.complete(null);
      }
      if ("state".equals(m.body().getString("type"))) {
        synchronized (statesSeen) {
          statesSeen.add(m.body().getString("state"));
        }
      }
    });
    await(events.completion());
    submit.run();
    progressing.get(30, TimeUnit.SECONDS);
    long start = System.nanoTime();
    JsonObject status = await(fx.engine().cancel(new JsonObject().put("id", id).put("reason", "test")));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).as("time from cancel to the final status").isLessThan(Duration.ofSeconds(2));
    // the final events are published before the cancel is answered, but delivered on their own: wait for
    // the last one before unregistering, which drops what was not delivered yet
    ended.get(10, TimeUnit.SECONDS);
    await(events.unregister());
    return status;
  }

  @Test
  void cancel_mid_transfer_stops_a_pulling_thread_and_leaks_nothing() throws Exception {
    // a first run warms up event loops and lazily opened descriptors, so that only leaks remain to count
    String warm = "warm-" + UUID.randomUUID();
    cancelMidway(warm, () -> fx.engine().submitPlan(warm, pulling(1L << 40)), new java.util.ArrayList<>());
    long fdsBefore = Leaks.openFds();
    List<String> threadsBefore = Leaks.liveThreads();

    String id = "cancel-" + UUID.randomUUID();
    List<String> states = new java.util.ArrayList<>();
    JsonObject status = cancelMidway(id, () -> fx.engine().submitPlan(id, pulling(1L << 40)), states);

    assertThat(status.getString("state")).isEqualTo("CANCELLED");
    assertThat(Leaks.elementThreads()).as("element threads still alive").isEmpty();
    assertThat(fx.engine().streamThreads().busy()).as("stream threads still busy").isZero();
    assertThat(fx.engine().streamThreads().reserved()).as("stream threads still reserved").isZero();
    assertThat(Leaks.liveThreads().size()).as("live threads: %s (before: %s)", Leaks.liveThreads(), threadsBefore)
      .isLessThanOrEqualTo(threadsBefore.size());
    assertThat(Leaks.openFds()).as("open file descriptors").isLessThanOrEqualTo(fdsBefore);
    assertThat(states).as("states seen").containsExactly("SETUP", "RUNNING", "CANCELLED");
  }

  @Test
  void many_cancels_of_file_copies_leave_no_error_in_the_log_and_no_descriptor_open() throws Exception {
    java.nio.file.Files.write(fx.path("cancel-src.bin"), io.xfernode.source.RandomBytes.bytes(8, 64 << 20));
    String warm = "warm-files-" + UUID.randomUUID();
    cancelMidway(warm, () -> fx.submit(fileCopy(warm)), new java.util.ArrayList<>());
    long fdsBefore = Leaks.openFds();
    try (io.xfernode.test.LogWatch log = io.xfernode.test.LogWatch.watch()) {
      for (int i = 0; i < 40; i++) {
        String id = "cancel-file-" + i + "-" + UUID.randomUUID();
        JsonObject status = cancelMidway(id, () -> fx.submit(fileCopy(id)), new java.util.ArrayList<>());
        assertThat(status.getString("state")).isEqualTo("CANCELLED");
      }
      assertThat(log.errorsAndStackTraces()).as("what 40 cancels left in the log").isEmpty();
    }
    assertThat(fx.engine().streamThreads().busy()).isZero();
    assertThat(Leaks.openFds()).as("open file descriptors after 40 cancels").isLessThanOrEqualTo(fdsBefore);
    try (var files = java.nio.file.Files.list(fx.root())) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
    }
  }

  /** A file copy that reads and writes through streams (a rate limit puts a throttle in between). */
  private static JsonObject fileCopy(String id) {
    return new JsonObject().put("id", id)
      .put("source", new JsonObject().put("type", "file").put("path", "data/cancel-src.bin"))
      .put("sink", new JsonObject().put("type", "file").put("path", "data/" + id + ".out"))
      .put("options", new JsonObject().put("rateLimit", 512 << 20));
  }

  @Test
  void cancel_mid_transfer_on_the_event_loop_path_ends_cancelled_once() throws Exception {
    String id = "cancel-push-" + UUID.randomUUID();
    List<String> states = new java.util.ArrayList<>();
    JsonObject status = cancelMidway(id, () -> fx.submit(new JsonObject().put("id", id)
      .put("source", new JsonObject().put("type", "random").put("length", 1L << 40))
      .put("sink", new JsonObject().put("type", "null"))), states);
    assertThat(status.getString("state")).isEqualTo("CANCELLED");
    assertThat(status.getLong("bytes")).isPositive();
    // a second cancel changes nothing
    assertThat(await(fx.engine().cancel(new JsonObject().put("id", id))).getString("state")).isEqualTo("CANCELLED");
    assertThat(states).containsExactly("SETUP", "RUNNING", "CANCELLED");
  }
}
