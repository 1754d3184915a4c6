package io.xfernode.process;

import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import io.xfernode.test.EngineFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How commands end: cancel kills them and everything they started, and a filter command may stop reading
 * early. This node allow-lists {@code sh} (the allow-list is the node's choice) so that a command can
 * start a child of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class ProcessLifecycleTest {

  private EngineFixture fx;

  @BeforeAll
  void start() throws Exception {
    fx = EngineFixture.start(io.xfernode.element.ElementRegistry.load(), List.of("sh", "head"));
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  @Test
  void cancel_kills_a_source_command_and_its_children() throws Exception {
    String marker = "xfer-" + UUID.randomUUID();
    JsonObject spec = new JsonObject()
      .put("source", new JsonObject().put("type", "process").put("command", sh("cat /dev/zero; : " + marker)))
      .put("filters", new JsonArray().add(new JsonObject().put("type", "throttle").put("rate", 1 << 20)))
      .put("sink", new JsonObject().put("type", "null"));
    assertCancelKills(spec, marker);
  }

  @Test
  void cancel_kills_a_filter_command_and_its_children() throws Exception {
    String marker = "xfer-" + UUID.randomUUID();
    JsonObject spec = new JsonObject()
      .put("source", new JsonObject().put("type", "random").put("length", 1L << 40))
      .put("filters", new JsonArray()
        .add(new JsonObject().put("type", "process").put("command", sh("cat; : " + marker)))
        .add(new JsonObject().put("type", "throttle").put("rate", 1 << 20)))
      .put("sink", new JsonObject().put("type", "null"));
    assertCancelKills(spec, marker);
  }

  @Test
  void a_filter_command_that_stops_reading_early_ends_the_transfer_normally() throws Exception {
    JsonObject status = fx.run(new JsonObject()
      .put("source", new JsonObject().put("type", "pattern").put("length", 8L << 20))
      .put("filters", new JsonArray().add(new JsonObject().put("type", "process")
        .put("command", new JsonArray().add("head").add("-c").add("100"))))
      .put("sink", new JsonObject().put("type", "digest")));
    assertThat(status.getString("state")).as(status.encodePrettily()).isEqualTo("DONE");
    byte[] first100 = "xfernode\n".repeat(12).substring(0, 100).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(status.getJsonObject("checksum").getString("value")).as("sha256 of the 100 bytes head let through")
      .isEqualTo(ProcessElementsTest.sha256(first100));
  }

  private void assertCancelKills(JsonObject spec, String marker) throws Exception {
    String id = "t-" + UUID.randomUUID();
    CompletableFuture<Void> flowing = new CompletableFuture<>();
    MessageConsumer<JsonObject> events = fx.vertx().eventBus().consumer(Addresses.events(id), m -> {
      if ("progress".equals(m.body().getString("type")) && m.body().getLong("bytes", 0L) > 0) {
        flowing.complete(null);
      }
    });
    EngineFixture.await(events.completion());
    try {
      EngineFixture.await(fx.submit(spec.copy().put("id", id)));
      // bytes flow only once the shell has started its cat
      flowing.get(30, TimeUnit.SECONDS);
      ProcessHandle shell = command(marker).orElseThrow(() -> new AssertionError("no shell running " + marker));
      // for a filter, bytes flow into the ring before the shell has forked: wait for its child
      long forked = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      List<ProcessHandle> all = shell.descendants().collect(Collectors.toList());
      while (all.isEmpty() && System.nanoTime() < forked) {
        Thread.onSpinWait();
        all = shell.descendants().collect(Collectors.toList());
      }
      assertThat(all).as("the shell's children").isNotEmpty();
      all.add(shell);

      JsonObject status = EngineFixture.await(fx.engine().cancel(new JsonObject().put("id", id)));

      assertThat(status.getString("state")).as(status.encodePrettily()).isEqualTo("CANCELLED");
      for (ProcessHandle p : all) {
        // the JDK polls for the end of a process that is not its child: allow it a few seconds
        p.onExit().get(5, TimeUnit.SECONDS);
        assertThat(p.isAlive()).as("process %d", p.pid()).isFalse();
      }
    } finally {
      events.unregister();
    }
  }

  private static Optional<ProcessHandle> command(String marker) {
    return ProcessHandle.current().children()
      .filter(p -> p.info().arguments().map(args -> String.join(" ", args).contains(marker)).orElse(false))
      .findFirst();
  }

  private static JsonArray sh(String script) {
    return new JsonArray().add("sh").add("-c").add(script);
  }
}
